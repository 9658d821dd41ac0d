import { describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { spawnRunner } from "../../../../src/node/gpu/command-runner.ts";
import { describeGpus, detectGpus } from "../../../../src/node/gpu/detect.ts";
import { detectSystem, diskSpace, formatBytes } from "../../../../src/node/gpu/system.ts";
import { fakeSpawn, gpuSpawn, type GpuMachine } from "../../../fixtures/gpu/fake-spawn.ts";

const detect = (machine: GpuMachine, platform = "linux", arch = "x64") => detectGpus({ runner: spawnRunner(gpuSpawn(machine)), platform, arch });

describe("detectGpus", () => {
  test("H100: one GPU, driver, CUDA from the banner", async () => {
    const gpu = await detect("nvidia-h100");
    expect(gpu.kind).toBe("nvidia");
    expect(gpu.gpus).toHaveLength(1);
    expect(gpu.driverVersion).toBe("580.159.04");
    expect(gpu.cudaVersion).toBe("13.0");
    expect(gpu.totalVramMiB).toBe(81559);
    expect(gpu.failure).toBeNull();
    expect(describeGpus(gpu)).toBe("1× NVIDIA H100 80GB HBM3 (79.6 GiB), driver 580.159.04, CUDA 13.0");
  });

  test("multi-GPU boxes add up their memory", async () => {
    const gpu = await detect("nvidia-4x-rtx4090");
    expect(gpu.gpus).toHaveLength(4);
    expect(gpu.totalVramMiB).toBe(4 * 24564);
    expect(gpu.cudaVersion).toBe("12.4");
    expect(describeGpus(gpu)).toStartWith("4× NVIDIA GeForce RTX 4090");
    expect((await detect("nvidia-8x-a100")).gpus).toHaveLength(8);
  });

  test("nvidia-smi that cannot reach the driver is a failure, not 'no GPU'", async () => {
    const gpu = await detect("nvidia-smi-failed");
    expect(gpu.kind).toBe("nvidia");
    expect(gpu.gpus).toHaveLength(0);
    expect(gpu.failure?.message).toContain("couldn't communicate with the NVIDIA driver");
  });

  test("AMD when there is no nvidia-smi; CPU-only when there is nothing", async () => {
    const amd = await detect("amd-rx7900xtx");
    expect(amd.kind).toBe("amd");
    expect(amd.notes.join(" ")).toContain("best effort");
    const none = await detect("none");
    expect(none).toMatchObject({ kind: "none", gpus: [], failure: null, totalVramMiB: 0 });
    expect(none.notes.join(" ")).toContain("nvidia-smi not found");
    expect(describeGpus(none)).toBe("no GPU (CPU only)");
  });

  test("Apple Silicon: unified memory reported as VRAM", async () => {
    const gpu = await detect("apple-m2-max", "darwin", "arm64");
    expect(gpu.kind).toBe("apple");
    expect(gpu.gpus[0]).toMatchObject({ name: "Apple M2 Max (38-core GPU)", memoryTotalMiB: 65536 });
    expect((await detect("apple-m2-max", "darwin", "x64")).kind).toBe("none");
  });

  test("the CUDA version is inferred from the driver when the banner is unavailable", async () => {
    const spawn = fakeSpawn((command, args) =>
      command === "nvidia-smi" && args.length > 0 ? { stdout: "0, Tesla T4, GPU-1, 15360, 0, 15000, 535.104.05, 7.5, 0:3:0, 40, 0, 9, 70\n" } : { code: 1 },
    );
    const gpu = await detectGpus({ runner: spawnRunner(spawn), platform: "linux" });
    expect(gpu.cudaVersion).toBe("12.0");
    expect(gpu.notes.join(" ")).toContain("inferred from driver 535.104.05");
  });

  test("a hung nvidia-smi times out and is reported", async () => {
    const gpu = await detectGpus({ runner: spawnRunner(fakeSpawn(() => "hang")), platform: "linux", timeoutMs: 50 });
    expect(gpu.failure?.message).toContain("did not answer");
  });
});

describe("spawnRunner with real processes", () => {
  const runner = spawnRunner(spawn);
  test("ok, failed, missing, timeout", async () => {
    expect(await runner("sh", ["-c", "echo hello; echo oops >&2"])).toEqual({ status: "ok", exitCode: 0, stdout: "hello\n", stderr: "oops\n" });
    expect((await runner("sh", ["-c", "exit 3"])).status).toBe("failed");
    expect((await runner("definitely-not-a-binary-fabstir", [])).status).toBe("missing");
    const started = Date.now();
    expect((await runner("sleep", ["5"], { timeoutMs: 100 })).status).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("system", () => {
  test("RAM, CPU and disk through injected probes", async () => {
    const info = await detectSystem("/nowhere/deep/inside", {
      platform: "linux",
      arch: "x64",
      cpus: () => [{ model: " AMD EPYC 9454 " }, { model: "AMD EPYC 9454" }],
      totalmem: () => 128 * 1024 ** 3,
      freemem: () => 100 * 1024 ** 3,
      statfs: async (path) => {
        if (path !== "/") throw Object.assign(new Error("nope"), { code: "ENOENT" });
        return { bavail: 10, blocks: 100, bsize: 4096 };
      },
    });
    expect(info).toMatchObject({ cpuModel: "AMD EPYC 9454", cpuCores: 2, ramTotalBytes: 128 * 1024 ** 3 });
    expect(info.disk).toEqual({ path: "/", freeBytes: 40960, totalBytes: 409600 });
  });

  test("real statfs of an existing directory", async () => {
    const disk = await diskSpace(import.meta.dir);
    expect(disk!.freeBytes).toBeGreaterThan(0);
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(12)).toBe("12 B");
  });
});
