/**
 * The nodes `start` runs: the plan (src/node/instances/plan.ts) made from the config, this machine's GPUs and the
 * model files on disk. A node whose model file is missing cannot start: the host serves the others, says so, and
 * `register` will not list that model. With no node able to start, the first model's missing file is the error.
 */
import { statSync } from "node:fs";
import type { HostContext } from "../../context.ts";
import type { HostConfig } from "../../config/types.ts";
import type { GpuReport } from "../gpu/types.ts";
import { spawnRunner } from "../gpu/command-runner.ts";
import { detectGpus } from "../gpu/detect.ts";
import { planInstances, type InstancePlan, type PlannedInstance } from "./plan.ts";

/** Tests hand in a recorded GPU report through `context.overrides`. */
declare module "../../context.ts" {
  interface HostServices {
    /** The GPUs the node plan is made for, when the caller already knows (a recorded machine in tests). */
    gpuReport?: GpuReport;
  }
}

export function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

export async function hostGpus(context: HostContext, config: HostConfig): Promise<Pick<GpuReport, "gpus" | "failure">> {
  const recorded = context.services.gpuReport;
  if (recorded) return recorded;
  // node.modelPath is the single-node setting of old: one node, whatever it sees; no probe needed.
  if (config.node.modelPath) return { gpus: [], failure: null };
  return detectGpus({ runner: spawnRunner(context.spawn), platform: process.platform, timeoutMs: 10_000 });
}

export async function planHostNodes(context: HostContext, config: HostConfig): Promise<InstancePlan & { runnable: PlannedInstance[] }> {
  const plan = planInstances({ config, modelsDir: context.paths.modelsDir, gpu: await hostGpus(context, config), fileSize });
  return { ...plan, runnable: plan.instances.filter((instance) => instance.neededBytes !== null) };
}
