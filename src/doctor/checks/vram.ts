/**
 * Does the model fit? Weights plus KV cache and scratch buffers need roughly the file size × 1.2 of GPU memory
 * (llama.cpp splits layers across several GPUs, so their memory adds up).
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { DoctorCheck, DoctorContext } from "../types.ts";
import { parseModelRef } from "../../node/models/model-ref.ts";
import { formatBytes } from "../../node/gpu/system.ts";
import { MIB } from "../../node/gpu/types.ts";

export const VRAM_OVERHEAD = 1.2;

/** The model file the node would load: node.modelPath, else the first configured model in the models directory. */
export function chosenModelFile(ctx: Pick<DoctorContext, "config" | "paths">): { path: string; model: string | null } | null {
  const config = ctx.config;
  if (!config) return null;
  if (config.node.modelPath) return { path: config.node.modelPath, model: null };
  const first = config.models[0];
  if (!first) return null;
  try {
    return { path: join(ctx.paths.modelsDir, parseModelRef(first).file), model: first };
  } catch {
    return null;
  }
}

export const vramCheck: DoctorCheck = {
  id: "vram",
  title: "Memory for the model",
  async run(ctx) {
    const chosen = chosenModelFile(ctx);
    if (!chosen) return { status: "skip", summary: "no model configured", fix: "Add one with `fabstir-host update models` or set node.modelPath." };
    let size: number;
    try {
      size = (await stat(chosen.path)).size;
    } catch {
      return {
        status: "warn",
        summary: `model file not downloaded yet: ${chosen.path}`,
        fix: chosen.model ? `Run \`fabstir-host models download ${chosen.model}\`.` : "Fix node.modelPath or download the file there.",
      };
    }
    const needed = Math.ceil(size * VRAM_OVERHEAD);
    const gpu = await ctx.gpu();
    const onCpu = gpu.gpus.length === 0 || !!gpu.failure || ctx.config?.node.gpuLayers === 0;
    if (onCpu) {
      const system = await ctx.system();
      const details = { modelBytes: size, neededBytes: needed, ramTotalBytes: system.ramTotalBytes };
      const summary = `model ${formatBytes(size)} needs ~${formatBytes(needed)}; running on the CPU with ${formatBytes(system.ramTotalBytes)} RAM`;
      return needed > system.ramTotalBytes
        ? { status: "fail", summary, fix: "Choose a smaller model or quantization.", details }
        : { status: "pass", summary, details };
    }
    const total = gpu.totalVramMiB * MIB;
    const free = gpu.gpus.every((g) => g.memoryFreeMiB !== null) ? gpu.gpus.reduce((sum, g) => sum + (g.memoryFreeMiB ?? 0), 0) * MIB : null;
    const where = gpu.gpus.length > 1 ? `${gpu.gpus.length} GPUs together have` : "the GPU has";
    const summary = `model ${formatBytes(size)} needs ~${formatBytes(needed)}; ${where} ${formatBytes(total)}${free !== null ? ` (${formatBytes(free)} free)` : ""}`;
    const details = { modelBytes: size, neededBytes: needed, vramTotalBytes: total, vramFreeBytes: free };
    if (needed > total) {
      return { status: "fail", summary, fix: "Choose a smaller quantization, or lower node.gpuLayers so part of the model runs on the CPU.", details };
    }
    if (free !== null && needed > free) {
      return { status: "warn", summary: `${summary}: other processes hold the rest`, fix: "Stop other programs using the GPU (see `nvidia-smi`).", details };
    }
    return { status: "pass", summary, details };
  },
};
