/** What GPU detection reports. Everything a probe could not learn is null rather than guessed. */

export type GpuVendor = "nvidia" | "amd" | "apple";

export interface GpuDevice {
  index: number;
  vendor: GpuVendor;
  name: string;
  uuid: string | null;
  /** Dedicated VRAM; for Apple Silicon the unified memory (= RAM). */
  memoryTotalMiB: number;
  memoryUsedMiB: number | null;
  memoryFreeMiB: number | null;
  /** NVIDIA compute capability, e.g. "9.0"; AMD gfx target, e.g. "gfx1100". */
  computeCapability: string | null;
  pciBusId: string | null;
  temperatureC: number | null;
  utilizationPercent: number | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
}

export interface GpuReport {
  /** The vendor whose GPUs were found; "none" on CPU-only hosts. */
  kind: GpuVendor | "none";
  gpus: GpuDevice[];
  /** NVIDIA driver version, e.g. "580.159.04". */
  driverVersion: string | null;
  /** Highest CUDA version the installed driver supports (the nvidia-smi banner), e.g. "13.0". */
  cudaVersion: string | null;
  totalVramMiB: number;
  /**
   * Set when a vendor tool exists but failed (e.g. nvidia-smi cannot talk to the driver): the GPU is likely there
   * but unusable, which is different from a host without a GPU.
   */
  failure: { tool: string; message: string } | null;
  /** Human notes on how the result was reached (missing tools, best-effort probes). */
  notes: string[];
}

export interface DiskSpace {
  path: string;
  freeBytes: number;
  totalBytes: number;
}

export interface SystemInfo {
  platform: string;
  arch: string;
  cpuModel: string;
  cpuCores: number;
  ramTotalBytes: number;
  ramFreeBytes: number;
  disk: DiskSpace | null;
}

export const MIB = 1024 * 1024;
