import { describe, expect, test } from "bun:test";
import { spawnRunner } from "../../../../src/node/gpu/command-runner.ts";
import { detectGpus } from "../../../../src/node/gpu/detect.ts";
import { chooseArtifact, chooseVariant } from "../../../../src/node/install/variant.ts";
import type { NodeRelease } from "../../../../src/node/install/manifest.ts";
import type { GpuReport } from "../../../../src/node/gpu/types.ts";
import { gpuSpawn, type GpuMachine } from "../../../fixtures/gpu/fake-spawn.ts";

const gpuOf = (machine: GpuMachine) => detectGpus({ runner: spawnRunner(gpuSpawn(machine)), platform: "linux", arch: "x64" });
const sha = "a".repeat(64);

describe("chooseVariant per fixture", () => {
  const cases: Array<[GpuMachine, string, RegExp]> = [
    ["nvidia-h100", "cuda13", /supports CUDA 13\.0/],
    ["nvidia-8x-a100", "cuda13", /CUDA 13 build/],
    ["nvidia-4x-rtx4090", "cuda12", /CUDA 12\.4 \(not 13\)/],
    ["nvidia-old-driver", "cpu", /only CUDA 11\.4.*update the NVIDIA driver/],
    ["nvidia-smi-failed", "cpu", /nvidia-smi failed/],
    ["amd-rx7900xtx", "cpu", /AMD GPU found, but no ROCm build/],
    ["none", "cpu", /No NVIDIA GPU found/],
  ];
  for (const [machine, variant, reason] of cases) {
    test(`${machine} → ${variant}`, async () => {
      const choice = chooseVariant(await gpuOf(machine), "linux-x64");
      expect(choice.variant).toBe(variant as never);
      expect(choice.reason).toMatch(reason);
    });
  }

  test("a pre-Turing GPU on a CUDA 13 driver gets the CUDA 12 build", async () => {
    const gpu = await gpuOf("nvidia-h100");
    const pascal: GpuReport = { ...gpu, gpus: [{ ...gpu.gpus[0]!, name: "Tesla P100", computeCapability: "6.0" }] };
    const choice = chooseVariant(pascal, "linux-x64");
    expect(choice.variant).toBe("cuda12");
    expect(choice.reason).toContain("compute capability 6");
  });
});

describe("chooseArtifact", () => {
  const artifact = (platform: "linux-x64" | "linux-arm64", variant: "cuda13" | "cuda12" | "cpu", minDriver?: string) => ({
    platform,
    variant,
    url: `https://example.org/${platform}-${variant}.tar.gz`,
    size: 10,
    sha256: sha,
    ...(minDriver ? { minDriver } : {}),
  });
  const release: NodeRelease = {
    version: "1.4.2",
    date: "2026-11-01",
    artifacts: [artifact("linux-x64", "cuda13", "590.0"), artifact("linux-x64", "cuda12"), artifact("linux-x64", "cpu"), artifact("linux-arm64", "cpu")],
  };

  test("falls back below a build whose minDriver the driver misses", async () => {
    const gpu = await gpuOf("nvidia-h100");
    const picked = chooseArtifact(release, "linux-x64", chooseVariant(gpu, "linux-x64"), gpu);
    expect(picked.variant).toBe("cuda12");
    expect(picked.reason).toContain("needs driver ≥ 590.0");
  });

  test("falls back to CPU where no CUDA build is published", async () => {
    const gpu = await gpuOf("nvidia-h100");
    const picked = chooseArtifact(release, "linux-arm64", chooseVariant(gpu, "linux-arm64"), gpu);
    expect(picked.variant).toBe("cpu");
    expect(picked.reason).toContain("not published for linux-arm64");
  });

  test("a forced variant does not fall back", async () => {
    const gpu = await gpuOf("none");
    const picked = chooseArtifact(release, "linux-arm64", { variant: "cuda12", reason: "forced" }, gpu, true);
    expect(picked.artifact).toBeNull();
    const forced = chooseArtifact(release, "linux-x64", { variant: "cuda13", reason: "forced" }, gpu, true);
    expect(forced.artifact?.variant).toBe("cuda13");
  });
});

test("driver versions compare part by part", async () => {
  const { compareDriverVersions } = await import("../../../../src/node/install/variant.ts");
  expect(compareDriverVersions("580.159.04", "590.0")).toBe(-1);
  expect(compareDriverVersions("580.159.04", "580.65.06")).toBe(1);
  expect(compareDriverVersions("525.60.13", "525.60.13")).toBe(0);
});
