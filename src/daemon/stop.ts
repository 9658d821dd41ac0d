/**
 * `stop`: find the host by its PID file, ask it to stop (SIGTERM: it drains, stops the node, removes the file), wait,
 * and escalate if it does not. A stale PID file (the host died) is cleaned up, along with any node it left running.
 */
import { rmSync } from "node:fs";
import type { Paths } from "../config/paths.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import { HostError } from "../errors/host-error.ts";
import { SupervisorErrors } from "../errors/codes/supervisor.ts";
import { signalProcess, waitUntilGone } from "../node/supervisor/process-group.ts";
import { pidFilePath, readDaemonState, withRunLock, type DaemonRecord } from "./pid-file.ts";
import { reapStaleHost } from "./reap.ts";

export interface StopResult {
  /** What was found: a live host, a stale PID file, or nothing. */
  found: "running" | "stale" | "not-running";
  pid: number | null;
  mode: DaemonRecord["mode"] | null;
  /** The host ignored SIGTERM past the timeout and was killed with its node. */
  forced: boolean;
  /** A node left behind by a dead host, now stopped. */
  orphanNodePid: number | null;
  staleReason: string | null;
}

export interface StopOptions {
  /** How long the host may take to drain and stop before it is killed. */
  timeoutMs: number;
  logger: Logger;
}

export async function stopHost(paths: Paths, options: StopOptions): Promise<StopResult> {
  const state = readDaemonState(paths);
  if (state.status === "not-running") {
    return { found: "not-running", pid: null, mode: null, forced: false, orphanNodePid: null, staleReason: null };
  }
  if (state.status === "stale") {
    const reaped = await reapStaleHost(state, options.logger, { stateDir: paths.stateDir, fetch, runDir: paths.runDir });
    await withRunLock(paths, () => {
      // Only remove what we judged stale: a host may have started in between.
      if (readDaemonState(paths).status === "stale") rmSync(pidFilePath(paths), { force: true });
    });
    return {
      found: "stale",
      pid: state.record?.pid ?? null,
      mode: state.record?.mode ?? null,
      forced: false,
      orphanNodePid: reaped.nodePid,
      staleReason: state.reason,
    };
  }

  const record = state.record;
  if (!signalProcess(record.pid, "SIGTERM")) {
    throw new HostError(SupervisorErrors.DAEMON_STOP_FAILED, `Could not signal the host process ${record.pid} (not allowed).`, {
      hint: `Try: stop it as the user that started it (pid ${record.pid})`,
    });
  }
  const stillOurs = () => readDaemonState(paths).status === "running";
  const stopped = await waitUntilGone(stillOurs, options.timeoutMs, 100);
  if (stopped) {
    return { found: "running", pid: record.pid, mode: record.mode, forced: false, orphanNodePid: null, staleReason: null };
  }
  options.logger.warn(`The host (pid ${record.pid}) did not stop within ${options.timeoutMs} ms; killing it and its node`);
  signalProcess(record.pid, "SIGKILL");
  await waitUntilGone(stillOurs, 5_000, 100);
  const latest = readDaemonState(paths);
  if (latest.status === "running") {
    throw new HostError(SupervisorErrors.DAEMON_STOP_FAILED, `The host process ${record.pid} is still running after SIGKILL.`);
  }
  // Killed outright, the host could not stop its node: do it here (the record names it).
  const orphanNodePid =
    latest.status === "stale"
      ? (await reapStaleHost(latest, options.logger, { stateDir: paths.stateDir, fetch, graceMs: 2_000, runDir: paths.runDir })).nodePid
      : null;
  rmSync(pidFilePath(paths), { force: true });
  return { found: "running", pid: record.pid, mode: record.mode, forced: true, orphanNodePid, staleReason: null };
}
