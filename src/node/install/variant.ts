/**
 * Which build of the node fits this machine. The CUDA builds need a driver that supports their CUDA major version
 * (the nvidia-smi banner says which); CUDA 13 also dropped GPUs older than Turing (compute capability < 7.5).
 * Everything else, AMD and CPU-only hosts included, gets the CPU build. The reason is returned as text for people.
 */
import type { GpuReport } from "../gpu/types.ts";
import type { NodeArtifact, NodePlatform, NodeRelease, NodeVariant } from "./manifest.ts";
import { VARIANTS } from "./manifest.ts";

export interface VariantChoice {
  variant: NodeVariant;
  reason: string;
}

const CUDA13_MIN_COMPUTE = 7.5;

function major(version: string | null): number {
  return version ? Number.parseInt(version.split(".")[0] ?? "", 10) || 0 : 0;
}

export function chooseVariant(gpu: GpuReport, _platform: NodePlatform): VariantChoice {
  if (gpu.kind === "nvidia" && gpu.failure) {
    return {
      variant: "cpu",
      reason: `An NVIDIA GPU may be present but nvidia-smi failed (${gpu.failure.message}); using the CPU build until the driver works.`,
    };
  }
  if (gpu.kind !== "nvidia" || gpu.gpus.length === 0) {
    const what =
      gpu.kind === "amd"
        ? "AMD GPU found, but no ROCm build is published"
        : gpu.kind === "apple"
          ? "Apple Silicon has no Linux CUDA build"
          : "No NVIDIA GPU found";
    return { variant: "cpu", reason: `${what}: using the CPU build (slow; fine for testing).` };
  }
  const cuda = gpu.cudaVersion;
  const cudaMajor = major(cuda);
  const oldestCompute = Math.min(...gpu.gpus.map((g) => Number.parseFloat(g.computeCapability ?? "99") || 99));
  const driver = gpu.driverVersion ?? "unknown";
  if (cudaMajor >= 13) {
    if (oldestCompute < CUDA13_MIN_COMPUTE) {
      return {
        variant: "cuda12",
        reason: `Driver ${driver} supports CUDA ${cuda}, but a GPU has compute capability ${oldestCompute} (CUDA 13 needs ≥ ${CUDA13_MIN_COMPUTE}): using the CUDA 12 build.`,
      };
    }
    return { variant: "cuda13", reason: `Driver ${driver} supports CUDA ${cuda}: using the CUDA 13 build.` };
  }
  if (cudaMajor === 12) {
    return { variant: "cuda12", reason: `Driver ${driver} supports CUDA ${cuda} (not 13): using the CUDA 12 build. A driver ≥ 580 allows the CUDA 13 build.` };
  }
  return {
    variant: "cpu",
    reason: `Driver ${driver} supports only CUDA ${cuda ?? "(unknown)"}; the GPU builds need CUDA ≥ 12. Using the CPU build: update the NVIDIA driver (≥ 580 recommended) for GPU inference.`,
  };
}

/** Fallback order when the preferred build is not published: a newer CUDA build never runs on an older driver. */
function fallbacks(variant: NodeVariant): NodeVariant[] {
  return VARIANTS.slice(VARIANTS.indexOf(variant));
}

/** NVIDIA driver versions are dotted numbers ("580.159.04"), not semver: compare them part by part. */
export function compareDriverVersions(a: string, b: string): number {
  const left = a.split(".").map((p) => Number.parseInt(p, 10) || 0);
  const right = b.split(".").map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

function driverTooOld(artifact: NodeArtifact, gpu: GpuReport): boolean {
  if (!artifact.minDriver || artifact.variant === "cpu" || !gpu.driverVersion) return false;
  return compareDriverVersions(gpu.driverVersion, artifact.minDriver) < 0;
}

export interface ArtifactChoice extends VariantChoice {
  artifact: NodeArtifact | null;
}

/**
 * The artifact to install from a release: the chosen variant, else the next one down the fallback order, skipping
 * builds whose `minDriver` the driver does not meet. `forced` (the --variant flag) disables the fallback.
 */
export function chooseArtifact(release: NodeRelease, platform: NodePlatform, choice: VariantChoice, gpu: GpuReport, forced = false): ArtifactChoice {
  const order = forced ? [choice.variant] : fallbacks(choice.variant);
  const skipped: string[] = [];
  for (const variant of order) {
    const artifact = release.artifacts.find((a) => a.platform === platform && a.variant === variant);
    if (!artifact) {
      skipped.push(`${variant}: not published for ${platform}`);
      continue;
    }
    if (!forced && driverTooOld(artifact, gpu)) {
      skipped.push(`${variant}: needs driver ≥ ${artifact.minDriver}`);
      continue;
    }
    const reason = variant === choice.variant ? choice.reason : `${choice.reason} Falling back to ${variant} (${skipped.join("; ")}).`;
    return { variant, reason, artifact };
  }
  return { ...choice, artifact: null, reason: `${choice.reason} No usable build in ${release.version} (${skipped.join("; ")}).` };
}
