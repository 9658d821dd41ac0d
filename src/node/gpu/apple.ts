/**
 * Apple Silicon: the GPU shares the machine's memory, so its "VRAM" is the RAM (Metal may use most of it).
 * Parsers for `sysctl -n machdep.cpu.brand_string hw.memsize` and `system_profiler SPDisplaysDataType -json`.
 */
import type { GpuDevice } from "./types.ts";
import { MIB } from "./types.ts";

export const APPLE_SYSCTL_ARGS = ["-n", "machdep.cpu.brand_string", "hw.memsize"];
export const APPLE_PROFILER_ARGS = ["SPDisplaysDataType", "-json"];

export interface AppleSysctl {
  chip: string | null;
  memoryBytes: number | null;
}

export function parseAppleSysctl(text: string): AppleSysctl {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const chip = lines.find((l) => /[A-Za-z]/.test(l)) ?? null;
  const memory = lines.find((l) => /^\d+$/.test(l));
  return { chip, memoryBytes: memory ? Number(memory) : null };
}

/** The GPU's name and core count, e.g. "Apple M2 Max (38-core GPU)"; null when the JSON is not understood. */
export function parseAppleProfiler(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { SPDisplaysDataType?: Array<Record<string, unknown>> };
    const entry = parsed.SPDisplaysDataType?.find((d) => typeof d.sppci_model === "string");
    if (!entry) return null;
    const cores = typeof entry.sppci_cores === "string" ? ` (${entry.sppci_cores}-core GPU)` : "";
    return `${entry.sppci_model as string}${cores}`;
  } catch {
    return null;
  }
}

export function appleDevice(name: string, memoryBytes: number): GpuDevice {
  return {
    index: 0,
    vendor: "apple",
    name,
    uuid: null,
    memoryTotalMiB: Math.round(memoryBytes / MIB),
    memoryUsedMiB: null,
    memoryFreeMiB: null,
    computeCapability: null,
    pciBusId: null,
    temperatureC: null,
    utilizationPercent: null,
    powerDrawW: null,
    powerLimitW: null,
  };
}
