import { describe, expect, test } from "bun:test";
import { applyAssignment, buildMetadata, mergeMetadata, parseMetadata, serializeMetadata } from "../../../../src/host/registration/metadata.ts";
import { testConfig } from "../../chain/helpers.ts";
import { HostErrors } from "../../../../src/errors/codes/index.ts";

const KEY = `0x02${"ab".repeat(32)}`;
const hardware = { gpu: "NVIDIA H100 80GB HBM3", vram: 80, ram: 128 };

describe("metadata", () => {
  test("built from hardware, config and the public key; encryption only when the node holds the key", () => {
    const config = testConfig({ host: { location: "eu-west", maxConcurrent: 6 } });
    const metadata = buildMetadata({ hardware, config, publicKey: KEY });
    expect(metadata).toEqual({ hardware, capabilities: ["inference", "streaming", "encryption"], location: "eu-west", maxConcurrent: 6, publicKey: KEY });
    const keyless = buildMetadata({
      hardware: { gpu: "CPU", vram: 0, ram: 8 },
      config: { ...config, host: { location: null, maxConcurrent: 1 }, node: { ...config.node, signer: "cli" } },
      publicKey: KEY,
    });
    expect(keyless).toEqual({ hardware: { gpu: "CPU", vram: 0, ram: 8 }, capabilities: ["inference", "streaming"], maxConcurrent: 1, publicKey: KEY });
    expect(serializeMetadata(keyless)).toBe(
      `{"hardware":{"gpu":"CPU","vram":0,"ram":8},"capabilities":["inference","streaming"],"maxConcurrent":1,"publicKey":"${KEY}"}`,
    );
  });

  test("a merge keeps unknown fields, refreshes hardware, applies --set, and always restores publicKey", () => {
    const current = { hardware: { gpu: "old", vram: 8, cpu: "EPYC" }, website: "https://x.example", maxConcurrent: 2 };
    const next = mergeMetadata(current, {
      hardware,
      publicKey: KEY,
      location: "us",
      set: ['tags=["fast","cheap"]', "limits.rpm=60", "note=plain text", "hardware.cpu=Xeon"],
    });
    expect(next).toEqual({
      hardware: { gpu: hardware.gpu, vram: 80, ram: 128, cpu: "Xeon" },
      website: "https://x.example",
      maxConcurrent: 2,
      location: "us",
      tags: ["fast", "cheap"],
      limits: { rpm: 60 },
      note: "plain text",
      publicKey: KEY,
    });
    expect(current.hardware.gpu).toBe("old"); // the input is not modified
  });

  test("--set refuses what it must not touch", () => {
    for (const bad of ["novalue", "=x", "publicKey=0x00", "__proto__.polluted=1", "a..b=1", "constructor=1"]) {
      expect(() => applyAssignment({}, bad)).toThrow(expect.objectContaining({ code: HostErrors.METADATA_INVALID.code }));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("metadata that is not a JSON object is reported and replaced", () => {
    expect(parseMetadata('{"a":1}')).toEqual({ value: { a: 1 }, valid: true });
    expect(parseMetadata("gpu=4090")).toEqual({ value: {}, valid: false });
    expect(parseMetadata("[1,2]")).toEqual({ value: {}, valid: false });
  });
});
