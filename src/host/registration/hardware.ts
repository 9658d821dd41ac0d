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

declare module "../../context.ts" {
  interface HostServices {
    /** What the hardware probe answers, when the caller already knows (tests; a host that probed at start). */
    hardware?: PublishedHardware;
  }
}

const GIB = 1024 ** 3;

export function describeGpus(report: GpuReport): { gpu: string; vram: number } {
  if (report.gpus.length === 0) return { gpu: "CPU", vram: 0 };
  const counts = new Map<string, number>();
  for (const device of report.gpus) counts.set(device.name, (counts.get(device.name) ?? 0) + 1);
  const gpu = [...counts].map(([name, count]) => (count > 1 ? `${count}x ${name}` : name)).join(" + ");
  return { gpu, vram: Math.round(report.totalVramMiB / 1024) };
}

export async function detectHardware(context: Pick<HostContext, "services" | "spawn" | "paths">): Promise<PublishedHardware> {
  const known = context.services.hardware;
  if (known) return known;
  const [gpus, system] = await Promise.all([detectGpus({ runner: spawnRunner(context.spawn) }), detectSystem(context.paths.stateDir)]);
  return { ...describeGpus(gpus), ram: Math.round(system.ramTotalBytes / GIB) };
}
