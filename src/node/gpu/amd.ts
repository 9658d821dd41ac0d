/**
 * Best-effort parser for `rocm-smi --showproductname --showmeminfo vram --json`. Its keys changed between ROCm
 * releases, so fields are matched loosely; anything unrecognised is left out rather than guessed.
 */
import type { GpuDevice } from "./types.ts";
import { MIB } from "./types.ts";

export const ROCM_SMI_ARGS = ["--showproductname", "--showmeminfo", "vram", "--json"];

function pick(entry: Record<string, unknown>, patterns: RegExp[]): string | null {
  for (const pattern of patterns) {
    for (const [key, value] of Object.entries(entry)) {
      if (pattern.test(key) && value !== null && value !== undefined && String(value).trim() !== "") return String(value).trim();
    }
  }
  return null;
}

export function parseRocmSmiJson(text: string): GpuDevice[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== "object") return [];
  const devices: GpuDevice[] = [];
  for (const [cardKey, value] of Object.entries(parsed as Record<string, unknown>)) {
    const match = /^card(\d+)$/i.exec(cardKey);
    if (!match || !value || typeof value !== "object") continue;
    const entry = value as Record<string, unknown>;
    const totalBytes = Number(pick(entry, [/^VRAM Total Memory \(B\)$/i]) ?? NaN);
    const usedBytes = Number(pick(entry, [/^VRAM Total Used Memory \(B\)$/i]) ?? NaN);
    const total = Number.isFinite(totalBytes) ? Math.round(totalBytes / MIB) : 0;
    const used = Number.isFinite(usedBytes) ? Math.round(usedBytes / MIB) : null;
    devices.push({
      index: Number(match[1]),
      vendor: "amd",
      name: pick(entry, [/^Card Series$/i, /^Card Model$/i, /^Device Name$/i]) ?? "AMD GPU",
      uuid: pick(entry, [/^Unique ID$/i]),
      memoryTotalMiB: total,
      memoryUsedMiB: used,
      memoryFreeMiB: used === null ? null : Math.max(0, total - used),
      computeCapability: pick(entry, [/^GFX Version$/i]),
      pciBusId: pick(entry, [/^PCI Bus$/i]),
      temperatureC: null,
      utilizationPercent: null,
      powerDrawW: null,
      powerLimitW: null,
    });
  }
  return devices.sort((a, b) => a.index - b.index);
}
