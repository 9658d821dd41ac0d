/**
 * Builds a DoctorContext from the HostContext: the config (loaded, never required), memoised GPU and system probes
 * through context.spawn, the wallet's keychain probe and the daemon's PID record. Tests replace any piece through
 * `context.overrides` (see DOCTOR_OVERRIDES) or pass `deps`.
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
import { createChildKeyringClient, type KeyringClient } from "../wallet/keyring-client.ts";
import { readDaemonState } from "../daemon/pid-file.ts";
import { probePort } from "./checks/ports.ts";
import type { DoctorContext } from "./types.ts";

/** Names in `context.overrides` that doctor honours (tests). */
export const DOCTOR_OVERRIDES = {
  /** A KeyringClient (the wallet's in-memory one in tests). */
  keyring: "keyring",
  /** `() => Promise<boolean>`: is the host daemon running. */
  hostRunning: "doctor.hostRunning",
  /** `(port, host, protocol) => Promise<boolean | "denied">`. */
  portFree: "doctor.portFree",
  /** A platform string instead of process.platform. */
  platform: "doctor.platform",
} as const;

function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

export async function createDoctorContext(context: HostContext, deps: Partial<DoctorContext> = {}): Promise<DoctorContext> {
  // The chain-backed checks (RPC, wallet, balances, registration) join every doctor run, wherever it is started from.
  registerChainDoctorChecks();
  const overrides = context.overrides;
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
  const platform = (overrides[DOCTOR_OVERRIDES.platform] as string | undefined) ?? process.platform;
  const runner = spawnRunner(context.spawn);
  const keyring = overrides[DOCTOR_OVERRIDES.keyring] as KeyringClient | undefined;
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
    portFree: (overrides[DOCTOR_OVERRIDES.portFree] as DoctorContext["portFree"] | undefined) ?? probePort,
    keychainProbe: () => (keyring ?? createChildKeyringClient({ spawn: context.spawn, env: context.env })).probe(),
    hostRunning:
      (overrides[DOCTOR_OVERRIDES.hostRunning] as DoctorContext["hostRunning"] | undefined) ??
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
