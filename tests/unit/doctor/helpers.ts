/** A DoctorContext made of fakes: a GPU from the fixtures, a fixed system, free ports, a working keychain. */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathsFor } from "../../../src/config/paths.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import { systemClock } from "../../../src/util/clock.ts";
import { spawnRunner } from "../../../src/node/gpu/command-runner.ts";
import { detectGpus } from "../../../src/node/gpu/detect.ts";
import type { SystemInfo } from "../../../src/node/gpu/types.ts";
import type { DoctorContext } from "../../../src/doctor/types.ts";
import { gpuSpawn, type GpuMachine } from "../../fixtures/gpu/fake-spawn.ts";

export const GIB = 1024 ** 3;

export function testConfig(mutate: (config: HostConfig) => void = () => {}): HostConfig {
  const config = resolveConfig(undefined, {}).config;
  mutate(config);
  return config;
}

export function fakeSystem(extra: Partial<SystemInfo> = {}): SystemInfo {
  return {
    platform: "linux",
    arch: "x64",
    cpuModel: "AMD EPYC 9454",
    cpuCores: 16,
    ramTotalBytes: 128 * GIB,
    ramFreeBytes: 100 * GIB,
    disk: { path: "/", freeBytes: 500 * GIB, totalBytes: 1000 * GIB },
    ...extra,
  };
}

export function doctorContext(options: { machine?: GpuMachine; config?: HostConfig | null; extra?: Partial<DoctorContext> } = {}): DoctorContext {
  const home = join(mkdtempSync(join(tmpdir(), "fabstir-doctor-")), "home");
  const paths = pathsFor(home);
  mkdirSync(paths.nodeDir, { recursive: true });
  mkdirSync(paths.modelsDir, { recursive: true });
  const runner = spawnRunner(gpuSpawn(options.machine ?? "nvidia-h100"));
  let gpu: ReturnType<typeof detectGpus> | undefined;
  return {
    paths,
    config: options.config === undefined ? testConfig() : options.config,
    configState: { fileExists: true, error: null },
    env: {},
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    platform: "linux",
    gpu: () => (gpu ??= detectGpus({ runner, platform: "linux" })),
    system: async () => fakeSystem(),
    portFree: async () => true,
    keychainProbe: async () => ({ ok: true, store: "secret-service", persistent: true }),
    hostRunning: async () => false,
    ...options.extra,
  };
}
