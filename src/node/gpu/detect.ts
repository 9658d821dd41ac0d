/**
 * GPU detection: NVIDIA (nvidia-smi), then AMD (rocm-smi, best effort), Apple Silicon on macOS; otherwise the host
 * is reported as CPU-only. Every probe goes through an injectable runner with a timeout, so tests answer with
 * recorded outputs and a hung tool cannot hang the CLI.
 */
import type { CommandRunner } from "./command-runner.ts";
import type { GpuDevice, GpuReport } from "./types.ts";
import {
  NVIDIA_QUERY_ARGS,
  cudaVersionForDriver,
  parseCudaVersionFromBanner,
  parseDriverVersionFromBanner,
  parseNvidiaFailure,
  parseNvidiaQueryCsv,
} from "./nvidia.ts";
import { ROCM_SMI_ARGS, parseRocmSmiJson } from "./amd.ts";
import { APPLE_PROFILER_ARGS, APPLE_SYSCTL_ARGS, appleDevice, parseAppleProfiler, parseAppleSysctl } from "./apple.ts";

export interface DetectGpuOptions {
  runner: CommandRunner;
  platform?: string;
  arch?: string;
  timeoutMs?: number;
}

function report(kind: GpuReport["kind"], gpus: GpuDevice[], extra: Partial<GpuReport> = {}): GpuReport {
  return {
    kind,
    gpus,
    driverVersion: null,
    cudaVersion: null,
    totalVramMiB: gpus.reduce((sum, gpu) => sum + gpu.memoryTotalMiB, 0),
    failure: null,
    notes: [],
    ...extra,
  };
}

async function probeNvidia(runner: CommandRunner, timeoutMs: number | undefined, notes: string[]): Promise<GpuReport | null> {
  const query = await runner("nvidia-smi", NVIDIA_QUERY_ARGS, { timeoutMs });
  if (query.status === "missing") {
    notes.push("nvidia-smi not found: no NVIDIA driver installed.");
    return null;
  }
  if (query.status === "timeout") {
    return report("nvidia", [], { failure: { tool: "nvidia-smi", message: "nvidia-smi did not answer in time (driver hung?)" }, notes });
  }
  const rows = query.status === "ok" ? parseNvidiaQueryCsv(query.stdout) : [];
  if (rows.length === 0) {
    const message =
      parseNvidiaFailure(`${query.stdout}\n${query.stderr}`) ??
      (`${query.stderr}${query.stdout}`.trim().split("\n")[0] || `nvidia-smi exited with code ${query.exitCode}`);
    return report("nvidia", [], { failure: { tool: "nvidia-smi", message }, notes });
  }
  const banner = await runner("nvidia-smi", [], { timeoutMs });
  const driverVersion = rows[0]?.driverVersion ?? (banner.status === "ok" ? parseDriverVersionFromBanner(banner.stdout) : null);
  let cudaVersion = banner.status === "ok" ? parseCudaVersionFromBanner(banner.stdout) : null;
  if (!cudaVersion && driverVersion) {
    cudaVersion = cudaVersionForDriver(driverVersion);
    if (cudaVersion) notes.push(`CUDA version inferred from driver ${driverVersion} (the nvidia-smi banner did not show it).`);
  }
  return report(
    "nvidia",
    rows.map((r) => r.device),
    { driverVersion, cudaVersion, notes },
  );
}

async function probeAmd(runner: CommandRunner, timeoutMs: number | undefined, notes: string[]): Promise<GpuReport | null> {
  const result = await runner("rocm-smi", ROCM_SMI_ARGS, { timeoutMs });
  if (result.status === "missing") return null;
  const gpus = result.status === "ok" ? parseRocmSmiJson(result.stdout) : [];
  if (gpus.length === 0) {
    notes.push(`rocm-smi is installed but reported no GPU (${result.status}).`);
    return null;
  }
  notes.push("AMD detection is best effort (rocm-smi).");
  return report("amd", gpus, { notes });
}

async function probeApple(runner: CommandRunner, timeoutMs: number | undefined, arch: string, notes: string[]): Promise<GpuReport | null> {
  if (arch !== "arm64") {
    notes.push("Intel Mac: no Metal build of the node is supported.");
    return null;
  }
  const sysctl = await runner("sysctl", APPLE_SYSCTL_ARGS, { timeoutMs });
  if (sysctl.status !== "ok") return null;
  const { chip, memoryBytes } = parseAppleSysctl(sysctl.stdout);
  if (!memoryBytes) return null;
  const profiler = await runner("system_profiler", APPLE_PROFILER_ARGS, { timeoutMs });
  const name = (profiler.status === "ok" ? parseAppleProfiler(profiler.stdout) : null) ?? chip ?? "Apple Silicon GPU";
  notes.push("Apple Silicon: the GPU uses unified memory, reported as VRAM = RAM.");
  return report("apple", [appleDevice(name, memoryBytes)], { notes });
}

export async function detectGpus(options: DetectGpuOptions): Promise<GpuReport> {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const notes: string[] = [];
  if (platform === "darwin") {
    return (await probeApple(options.runner, options.timeoutMs, arch, notes)) ?? report("none", [], { notes });
  }
  const nvidia = await probeNvidia(options.runner, options.timeoutMs, notes);
  // A failed nvidia-smi still means "there is an NVIDIA card but it is unusable": report that, don't fall through.
  if (nvidia) return nvidia;
  const amd = await probeAmd(options.runner, options.timeoutMs, notes);
  if (amd) return amd;
  notes.push("No GPU found: this host can only run the CPU build.");
  return report("none", [], { notes });
}

/** One line for people: "1× NVIDIA H100 80GB HBM3 (80 GiB), driver 580.159.04, CUDA 13.0". */
export function describeGpus(gpu: GpuReport): string {
  if (gpu.failure) return `${gpu.failure.tool} failed: ${gpu.failure.message}`;
  if (gpu.gpus.length === 0) return "no GPU (CPU only)";
  const names = new Map<string, number>();
  for (const device of gpu.gpus) names.set(device.name, (names.get(device.name) ?? 0) + 1);
  const models = [...names].map(([name, count]) => `${count}× ${name}`).join(" + ");
  const parts = [`${models} (${formatMiB(gpu.totalVramMiB)}${gpu.kind === "apple" ? " unified" : ""})`];
  if (gpu.driverVersion) parts.push(`driver ${gpu.driverVersion}`);
  if (gpu.cudaVersion) parts.push(`CUDA ${gpu.cudaVersion}`);
  return parts.join(", ");
}

export function formatMiB(mib: number): string {
  return mib >= 1024 ? `${(mib / 1024).toFixed(mib % 1024 === 0 ? 0 : 1)} GiB` : `${mib} MiB`;
}
