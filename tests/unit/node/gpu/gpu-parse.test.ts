import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  cudaVersionForDriver,
  parseCudaVersionFromBanner,
  parseDriverVersionFromBanner,
  parseNvidiaFailure,
  parseNvidiaQueryCsv,
} from "../../../../src/node/gpu/nvidia.ts";
import { parseRocmSmiJson } from "../../../../src/node/gpu/amd.ts";
import { parseAppleProfiler, parseAppleSysctl } from "../../../../src/node/gpu/apple.ts";
import { GPU_FIXTURES } from "../../../fixtures/gpu/fake-spawn.ts";

const fixture = (machine: string, file: string) => readFileSync(join(GPU_FIXTURES, machine, file), "utf8");

describe("nvidia-smi CSV", () => {
  test("the recorded H100", () => {
    const rows = parseNvidiaQueryCsv(fixture("nvidia-h100", "query-gpu.csv"));
    expect(rows).toHaveLength(1);
    const { device, driverVersion } = rows[0]!;
    expect(driverVersion).toBe("580.159.04");
    expect(device).toMatchObject({
      index: 0,
      vendor: "nvidia",
      name: "NVIDIA H100 80GB HBM3",
      uuid: "GPU-8c1c2389-81f0-208e-53f6-a053bd9f991a",
      memoryTotalMiB: 81559,
      memoryUsedMiB: 0,
      memoryFreeMiB: 81079,
      computeCapability: "9.0",
      pciBusId: "00000000:00:06.0",
      temperatureC: 36,
      utilizationPercent: 0,
      powerDrawW: 72.57,
      powerLimitW: 700,
    });
  });

  test("four GPUs, and [N/A] cells become null", () => {
    expect(parseNvidiaQueryCsv(fixture("nvidia-4x-rtx4090", "query-gpu.csv")).map((r) => r.device.index)).toEqual([0, 1, 2, 3]);
    const a100 = parseNvidiaQueryCsv(fixture("nvidia-8x-a100", "query-gpu.csv"));
    expect(a100).toHaveLength(8);
    expect(a100[7]!.device.powerDrawW).toBeNull();
    expect(a100[0]!.device.powerDrawW).toBe(58.1);
  });

  test("a name with a comma stays whole; short or empty lines are skipped", () => {
    const rows = parseNvidiaQueryCsv("\n0, Quadro RTX 8000, Rev 2, GPU-x, 49152, 0, 49000, 550.1, 7.5, 0:1:0, 30, 0, 10, 260\ngarbage\n");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.device.name).toBe("Quadro RTX 8000, Rev 2");
    expect(rows[0]!.device.memoryTotalMiB).toBe(49152);
  });

  test("banner: CUDA and driver versions", () => {
    expect(parseCudaVersionFromBanner(fixture("nvidia-h100", "nvidia-smi.txt"))).toBe("13.0");
    expect(parseCudaVersionFromBanner(fixture("nvidia-4x-rtx4090", "nvidia-smi.txt"))).toBe("12.4");
    expect(parseCudaVersionFromBanner(fixture("nvidia-old-driver", "nvidia-smi.txt"))).toBe("11.4");
    expect(parseDriverVersionFromBanner(fixture("nvidia-h100", "nvidia-smi.txt"))).toBe("580.159.04");
    expect(parseCudaVersionFromBanner("no banner")).toBeNull();
  });

  test("the driver failure is recognised", () => {
    expect(parseNvidiaFailure(fixture("nvidia-smi-failed", "output.txt"))).toContain("couldn't communicate with the NVIDIA driver");
    expect(parseNvidiaFailure("Failed to initialize NVML: Driver/library version mismatch")).toContain("version mismatch");
    expect(parseNvidiaFailure(fixture("nvidia-h100", "nvidia-smi.txt"))).toBeNull();
  });

  test("CUDA version from the driver when the banner is missing", () => {
    expect(cudaVersionForDriver("580.159.04")).toBe("13.0");
    expect(cudaVersionForDriver("550.127.05")).toBe("12.0");
    expect(cudaVersionForDriver("525.60.13")).toBe("12.0");
    expect(cudaVersionForDriver("525.53")).toBe("11.0");
    expect(cudaVersionForDriver("470.256.02")).toBe("11.0");
    expect(cudaVersionForDriver("390.1")).toBeNull();
  });
});

describe("rocm-smi and Apple", () => {
  test("AMD RX 7900 XTX", () => {
    const [gpu, ...rest] = parseRocmSmiJson(fixture("amd-rx7900xtx", "rocm-smi.json"));
    expect(rest).toHaveLength(0);
    expect(gpu).toMatchObject({
      vendor: "amd",
      name: "Navi 31 [Radeon RX 7900 XTX]",
      memoryTotalMiB: 24560,
      memoryUsedMiB: 1027,
      computeCapability: "gfx1100",
    });
    expect(parseRocmSmiJson("not json")).toEqual([]);
    expect(parseRocmSmiJson('{"system": {"Driver version": "6.2"}}')).toEqual([]);
  });

  test("Apple M2 Max", () => {
    expect(parseAppleSysctl(fixture("apple-m2-max", "sysctl.txt"))).toEqual({ chip: "Apple M2 Max", memoryBytes: 68719476736 });
    expect(parseAppleProfiler(fixture("apple-m2-max", "system_profiler.json"))).toBe("Apple M2 Max (38-core GPU)");
    expect(parseAppleProfiler("{}")).toBeNull();
  });
});
