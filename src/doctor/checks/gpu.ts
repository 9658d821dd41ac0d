/** GPU and driver: is there a GPU the node's CUDA builds can use? */
import type { DoctorCheck } from "../types.ts";
import { describeGpus } from "../../node/gpu/detect.ts";

const DRIVER_FIX = "Install or update the NVIDIA driver (≥ 580 for the CUDA 13 build, ≥ 525 for CUDA 12), then check that `nvidia-smi` works.";

export const gpuCheck: DoctorCheck = {
  id: "gpu",
  title: "GPU and driver",
  async run(ctx) {
    const gpu = await ctx.gpu();
    const details = {
      kind: gpu.kind,
      count: gpu.gpus.length,
      driverVersion: gpu.driverVersion,
      cudaVersion: gpu.cudaVersion,
      totalVramMiB: gpu.totalVramMiB,
      gpus: gpu.gpus.map((g) => ({ name: g.name, memoryTotalMiB: g.memoryTotalMiB, computeCapability: g.computeCapability })),
    };
    if (gpu.failure) {
      return {
        status: "fail",
        summary: `${gpu.failure.tool} failed: ${gpu.failure.message}`,
        fix: "Load the NVIDIA driver: reboot after a driver upgrade, or `sudo modprobe nvidia`; `nvidia-smi` must list the GPU.",
        details,
      };
    }
    const summary = describeGpus(gpu);
    if (gpu.kind === "nvidia") {
      const major = Number.parseInt(gpu.cudaVersion ?? "0", 10) || 0;
      if (major >= 12) return { status: "pass", summary, details };
      return {
        status: "warn",
        summary: `${summary}: the driver is too old for the GPU builds (CUDA ≥ 12 needed), the CPU build would run`,
        fix: DRIVER_FIX,
        details,
      };
    }
    if (gpu.kind === "amd")
      return {
        status: "warn",
        summary: `${summary}: no ROCm build of the node is published, it would run on the CPU`,
        fix: "Use an NVIDIA GPU, or build fabstir-llm-node with ROCm and set node.binaryPath.",
        details,
      };
    if (gpu.kind === "apple")
      return {
        status: "warn",
        summary: `${summary}: no macOS build of the node is published`,
        fix: "Build fabstir-llm-node with Metal and run `fabstir-host config set node.binaryPath <path>`.",
        details,
      };
    return { status: "warn", summary: "no GPU found: inference would run on the CPU (slow)", fix: DRIVER_FIX, details };
  },
};
