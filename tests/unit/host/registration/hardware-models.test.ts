import type { HostServices } from "../../../../src/context.ts";
import { describe, expect, test } from "bun:test";
import { describeGpus, detectHardware } from "../../../../src/host/registration/hardware.ts";
import { isModelId, modelIdFromInput, modelIdOf } from "../../../../src/host/models/registry.ts";
import type { GpuDevice, GpuReport } from "../../../../src/node/gpu/types.ts";
import { NodeErrors } from "../../../../src/errors/codes/index.ts";

function gpu(name: string, memoryTotalMiB: number): GpuDevice {
  return {
    index: 0,
    vendor: "nvidia",
    name,
    uuid: null,
    memoryTotalMiB,
    memoryUsedMiB: null,
    memoryFreeMiB: null,
    computeCapability: null,
    pciBusId: null,
    temperatureC: null,
    utilizationPercent: null,
    powerDrawW: null,
    powerLimitW: null,
  };
}

function report(gpus: GpuDevice[]): GpuReport {
  return {
    kind: gpus.length ? "nvidia" : "none",
    gpus,
    driverVersion: null,
    cudaVersion: null,
    totalVramMiB: gpus.reduce((s, g) => s + g.memoryTotalMiB, 0),
    failure: null,
    notes: [],
  };
}

describe("published hardware", () => {
  test("GPU names and total VRAM in GB; CPU honestly when there is none", () => {
    expect(describeGpus(report([gpu("NVIDIA H100 80GB HBM3", 81559)]))).toEqual({ gpu: "NVIDIA H100 80GB HBM3", vram: 80 });
    expect(describeGpus(report([gpu("NVIDIA GeForce RTX 4090", 24564), gpu("NVIDIA GeForce RTX 4090", 24564)]))).toEqual({
      gpu: "2x NVIDIA GeForce RTX 4090",
      vram: 48,
    });
    expect(describeGpus(report([gpu("A", 8192), gpu("B", 16384)]))).toEqual({ gpu: "A + B", vram: 24 });
    expect(describeGpus(report([]))).toEqual({ gpu: "CPU", vram: 0 });
  });

  test("an override wins (tests, callers that already probed)", async () => {
    const given = { gpu: "X", vram: 1, ram: 2 };
    expect(await detectHardware({ services: { hardware: given } as HostServices, spawn: undefined as never, paths: undefined as never })).toBe(given);
  });
});

describe("model ids", () => {
  test("keccak256(repo + '/' + file), the registry's getModelId", () => {
    // The devnet registry's id for this model (ModelRegistry.getModelId, checked on chain in the integration tests).
    expect(modelIdOf("CohereForAI/TinyVicuna-1B-32k-GGUF", "tiny-vicuna-1b.q4_k_m.gguf")).toBe(
      "0x0b75a2061e70e736924a30c0a327db7ab719402129f76f631adbd7b7a5a5bced",
    );
  });

  test("input: repo:file or an id", () => {
    const id = "0x0b75a2061e70e736924a30c0a327db7ab719402129f76f631adbd7b7a5a5bced";
    expect(modelIdFromInput("CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf")).toEqual({
      id,
      ref: "CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf",
    });
    expect(modelIdFromInput(id.toUpperCase().replace("0X", "0x"))).toEqual({ id, ref: null });
    expect(isModelId("0x1234")).toBe(false);
    expect(() => modelIdFromInput("just-a-name")).toThrow(expect.objectContaining({ code: NodeErrors.MODEL_REF_INVALID.code }));
  });
});
