/**
 * The hardware a host publishes in its metadata: GPU name, VRAM and RAM in GB. A host without a usable GPU says so
 * honestly ("CPU") rather than leaving the field out, since clients require `hardware.gpu`.
 */
import type { HostContext } from "../../context.ts";
import { spawnRunner } from "../../node/gpu/command-runner.ts";
import { detectGpus } from "../../node/gpu/detect.ts";
import { detectSystem } from "../../node/gpu/system.ts";
import type { GpuReport } from "../../node/gpu/types.ts";

export interface PublishedHardware {
  gpu: string;
  /** GB of VRAM across the GPUs (unified memory on Apple Silicon); 0 without a GPU. */
  vram: number;
  /** GB of system RAM. */
  ram: number;
}

/** Tests (and callers that already probed) pass the answer in `context.overrides[HARDWARE_OVERRIDE]`. */
export const HARDWARE_OVERRIDE = "host.hardware";

const GIB = 1024 ** 3;

export function describeGpus(report: GpuReport): { gpu: string; vram: number } {
  if (report.gpus.length === 0) return { gpu: "CPU", vram: 0 };
  const counts = new Map<string, number>();
  for (const device of report.gpus) counts.set(device.name, (counts.get(device.name) ?? 0) + 1);
  const gpu = [...counts].map(([name, count]) => (count > 1 ? `${count}x ${name}` : name)).join(" + ");
  return { gpu, vram: Math.round(report.totalVramMiB / 1024) };
}

export async function detectHardware(context: Pick<HostContext, "overrides" | "spawn" | "paths">): Promise<PublishedHardware> {
  const override = context.overrides[HARDWARE_OVERRIDE] as PublishedHardware | undefined;
  if (override) return override;
  const [gpus, system] = await Promise.all([detectGpus({ runner: spawnRunner(context.spawn) }), detectSystem(context.paths.stateDir)]);
  return { ...describeGpus(gpus), ram: Math.round(system.ramTotalBytes / GIB) };
}
