/**
 * Cleaning up after a host that died without cleaning up (SIGKILL, OOM, power loss): its node may still run, in its
 * own process group, holding the GPU and the port. The PID file names that group, and its start time tells it from a
 * later process that reused the pid.
 */
import type { Logger } from "../ops/logger-types.ts";
import { terminateGroup } from "../node/supervisor/process-group.ts";
import { isOrphanNodeAlive, type DaemonState } from "./pid-file.ts";

export interface ReapResult {
  /** Pid of the leftover node that was stopped, if there was one. */
  nodePid: number | null;
  how: "not-running" | "graceful" | "killed";
}

export async function reapStaleHost(stale: Extract<DaemonState, { status: "stale" }>, logger: Logger, graceMs = 10_000): Promise<ReapResult> {
  const node = stale.record?.node;
  if (!node || !isOrphanNodeAlive(stale.record)) return { nodePid: null, how: "not-running" };
  logger.warn(`Stopping a node left running by a host that is gone (node pid ${node.pid})`, { pgid: node.pgid });
  const how = await terminateGroup(node.pgid, graceMs);
  return { nodePid: node.pid, how };
}
