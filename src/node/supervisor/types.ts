/** Shapes of the supervisor: what it is given, what it reports. */
import type { FetchFn, SpawnFn } from "../../context.ts";
import type { HostConfig } from "../../config/types.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import type { Clock } from "../../util/clock.ts";
import type { NodeNetwork } from "./node-env.ts";
import type { BackoffSettings, CrashLoopSettings } from "./restart-policy.ts";

/** What to run. May be replaced (`reconfigure`) between runs; the running node keeps what it started with. */
export interface SupervisorSpec {
  config: HostConfig;
  network: NodeNetwork;
  binaryPath: string;
  /** Arguments for the binary; the real node takes none. */
  args?: string[];
  modelPath: string;
  /**
   * For node.signer = "node": returns the host's private key. Called once, on the first spawn; the key is kept in
   * memory for restarts and reaches the node only through its environment (HOST_PRIVATE_KEY) at spawn.
   */
  unlockHostKey?: () => Promise<string>;
  /**
   * argv the orphan watchdog runs before it stops a node whose host died: the host's count salvage, which reads the
   * node's session counts into the proof journal (src/proof/salvage-child.ts). No secret may be in it.
   */
  orphanSalvage?: string[];
}

export interface SupervisorDeps {
  spawn: SpawnFn;
  fetch: FetchFn;
  logger: Logger;
  clock: Clock;
  /** Where node.log goes. */
  logsDir: string;
  /** The environment the node inherits a few variables from (PATH, HOME, CUDA_* …). */
  baseEnv: Record<string, string | undefined>;
  /** Jitter source; tests pin it. */
  random?: () => number;
}

export interface SupervisorSettings {
  /** Longest wait for the model to load and /health to answer. */
  startupTimeoutMs: number;
  /** How often readiness is polled while starting. */
  startupPollMs: number;
  healthIntervalMs: number;
  healthTimeoutMs: number;
  /** Consecutive failed health checks that make a running node "hung". */
  hangThreshold: number;
  /** Grace between SIGINT and SIGKILL when stopping. */
  stopTimeoutMs: number;
  backoff: BackoffSettings;
  crashLoop: CrashLoopSettings;
  /** Up this long and the backoff starts over. */
  stableAfterMs: number;
  /** Kill the node when this process dies (see watchdog.ts). */
  watchdog: boolean;
  /** Lines of output shown with a failure. */
  tailLines: number;
}

export type SupervisorState = "idle" | "starting" | "running" | "restarting" | "stopping" | "stopped" | "failed";

export interface SupervisorStatus {
  state: SupervisorState;
  pid: number | undefined;
  pgid: number | undefined;
  port: number | undefined;
  restarts: number;
  readySince: number | undefined;
  lastExit: { code: number | null; signal: string | null; at: number } | undefined;
  /** Why the host is unhealthy (crash loop …), for `status` and alerts. */
  unhealthyReason: string | undefined;
}

export type FailureReason = "crash" | "hang" | "start-failed";

export interface SupervisorEvents {
  ready: { pid: number; port: number; startupMs: number; restarts: number };
  exit: { pid: number; code: number | null; signal: string | null; expected: boolean; lastLines: string[] };
  restart: { attempt: number; delayMs: number; reason: FailureReason; code: number | null; signal: string | null; lastLines: string[] };
  "crash-loop": { failures: number; windowMs: number; reason: string; lastLines: string[] };
  unhealthy: { reason: string; consecutiveFailures: number };
  /** p2pOnly: degraded only for the P2P node every real node lacks, i.e. normal. */
  health: { status: string; p2pOnly: boolean; latencyMs: number; consecutiveFailures: number };
}

export type SupervisorEventName = keyof SupervisorEvents;
