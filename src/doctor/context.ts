/**
 * Builds a DoctorContext from the HostContext: the config (loaded, never required), memoised GPU and system probes
 * through context.spawn, the wallet's keychain probe and the daemon's PID record. Tests replace any piece through
 * the context's services (keyring, platform, portFree, hostRunning) or pass `deps`.
 */
import { registerChainDoctorChecks } from "./checks/chain-checks.ts";
import type { HostContext } from "../context.ts";
import type { HostConfig } from "../config/types.ts";
import { loadConfig } from "../config/store.ts";
import { isHostError } from "../errors/host-error.ts";
import { spawnRunner } from "../node/gpu/command-runner.ts";
import { detectGpus } from "../node/gpu/detect.ts";
import { detectSystem } from "../node/gpu/system.ts";
import type { GpuReport, SystemInfo } from "../node/gpu/types.ts";
import { readDaemonState } from "../daemon/pid-file.ts";
import { probePort } from "./checks/ports.ts";
import type { DoctorContext } from "./types.ts";

declare module "../context.ts" {
  interface HostServices {
    /** Whether a port can be bound (doctor's port checks); the default binds it for a moment. */
    portFree?: DoctorContext["portFree"];
    /** Whether the host daemon of this config directory runs; the default reads its PID record. */
    hostRunning?: DoctorContext["hostRunning"];
  }
}

function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

export async function createDoctorContext(context: HostContext, deps: Partial<DoctorContext> = {}): Promise<DoctorContext> {
  // The chain-backed checks (RPC, wallet, balances, registration) join every doctor run, wherever it is started from.
  registerChainDoctorChecks();
  let config: HostConfig | null = null;
  let configState: DoctorContext["configState"] = { fileExists: false, error: null };
  try {
    const loaded = await loadConfig(context);
    config = loaded.config;
    configState = { fileExists: loaded.fileExists, error: null };
  } catch (error) {
    const e = isHostError(error) ? { code: error.code, message: error.message, hint: error.hint } : { code: "", message: String(error) };
    configState = { fileExists: true, error: e };
  }
  const { platform, keyring } = context.services;
  const runner = spawnRunner(context.spawn);
  return {
    paths: context.paths,
    config,
    configState,
    env: context.env,
    fetch: context.fetch,
    clock: context.clock,
    platform,
    gpu: memo<GpuReport>(() => detectGpus({ runner, platform })),
    system: memo<SystemInfo>(() => detectSystem(context.paths.stateDir, { platform })),
    portFree: context.services.portFree ?? probePort,
    keychainProbe: () => keyring.probe(),
    hostRunning:
      context.services.hostRunning ??
      (async () => {
        try {
          return readDaemonState(context.paths).status === "running";
        } catch {
          return false;
        }
      }),
    ...deps,
  };
}
