/**
 * Doctor checks: small, independent probes of what a host needs. Each answers pass/warn/fail/skip with a one-line
 * summary and, when something is wrong, the fix. Checks get everything through DoctorContext, so tests run them with
 * recorded GPU outputs, fake keychains and local servers.
 */
import type { FetchFn } from "../context.ts";
import type { Paths } from "../config/paths.ts";
import type { HostConfig } from "../config/types.ts";
import type { Clock } from "../util/clock.ts";
import type { GpuReport, SystemInfo } from "../node/gpu/types.ts";

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export interface CheckResult {
  status: CheckStatus;
  summary: string;
  /** What to do about a warn/fail, starting with the command to run where there is one. */
  fix?: string;
  /** Structured facts for --json (never secrets). */
  details?: Record<string, unknown>;
}

export interface DoctorCheck {
  /** Stable id for --json consumers and `--only`, e.g. "gpu", "ports". */
  id: string;
  title: string;
  /** Overrides the runner's per-check timeout. */
  timeoutMs?: number;
  run(ctx: DoctorContext): Promise<CheckResult>;
}

/** Structural copy of the wallet's keyring probe answer, so doctor does not depend on the wallet's internals. */
export interface KeychainProbeResult {
  ok: boolean;
  store?: string;
  persistent?: boolean;
  reason?: string;
}

export type PortProtocol = "tcp" | "udp";

export interface DoctorContext {
  paths: Paths;
  /** The effective config; defaults when there is no file yet. Null only when the config could not be loaded. */
  config: HostConfig | null;
  configState: { fileExists: boolean; error: { code: string; message: string; hint?: string } | null };
  env: Record<string, string | undefined>;
  fetch: FetchFn;
  clock: Clock;
  platform: string;
  /** Memoised: many checks ask, nvidia-smi runs once. */
  gpu(): Promise<GpuReport>;
  system(): Promise<SystemInfo>;
  portFree(port: number, host: string, protocol: PortProtocol): Promise<boolean | "denied">;
  /** The OS keychain round-trip (the wallet's probe); undefined when none is wired. */
  keychainProbe?: () => Promise<KeychainProbeResult>;
  /** Whether this host's daemon runs now (its ports are then busy for a good reason). */
  hostRunning(): Promise<boolean>;
}

export interface CheckOutcome extends CheckResult {
  id: string;
  title: string;
  durationMs: number;
}

export interface DoctorReport {
  /** False when any check failed. */
  healthy: boolean;
  counts: Record<CheckStatus, number>;
  checks: CheckOutcome[];
}
