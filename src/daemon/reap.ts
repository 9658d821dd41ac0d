/**
 * Cleaning up after a host that died without cleaning up (SIGKILL, OOM, power loss): its node may still run, in its
 * own process group, holding the GPU and the port. The PID file names that group, and its start time tells it from a
 * later process that reused the pid. Before it is stopped, the node is asked for the token counts of the sessions the
 * dead host had not finished (it may know of tokens the host never journaled).
 */
import type { FetchFn } from "../context.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import { terminateGroup } from "../node/supervisor/process-group.ts";
import { salvageNodeCounts } from "../proof/salvage.ts";
import { isOrphanNodeAlive, type DaemonState } from "./pid-file.ts";
import { reapExtraNodes } from "../node/instances/reap-extras.ts";

export interface ReapResult {
  /** Pid of the leftover node that was stopped, if there was one. */
  nodePid: number | null;
  how: "not-running" | "graceful" | "killed";
}

export interface ReapOptions {
  /** Where the proof journal lives: the orphan's counts are read into it before it is stopped. */
  stateDir: string;
  fetch: FetchFn;
  graceMs?: number;
  /** Where a host with several nodes lists them (run/nodes.json): the further nodes are stopped too. */
  runDir?: string;
}

export async function reapStaleHost(stale: Extract<DaemonState, { status: "stale" }>, logger: Logger, options: ReapOptions): Promise<ReapResult> {
  if (options.runDir) await reapExtraNodes(options.runDir, options.stateDir, options.fetch, logger, options.graceMs);
  const node = stale.record?.node;
  if (!node || !isOrphanNodeAlive(stale.record)) return { nodePid: null, how: "not-running" };
  logger.warn(`Stopping a node left running by a host that is gone (node pid ${node.pid})`, { pgid: node.pgid });
  const port = stale.record?.ports.internal;
  if (port) {
    try {
      await salvageNodeCounts(options.stateDir, `http://127.0.0.1:${port}`, options.fetch, logger);
    } catch (error) {
      logger.warn("could not read token counts from the orphaned node; the journal's counts stand", { error: (error as Error).message });
    }
  }
  const how = await terminateGroup(node.pgid, options.graceMs ?? 10_000);
  return { nodePid: node.pid, how };
}
