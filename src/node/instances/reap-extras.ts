/**
 * After a host died without cleaning up, its further nodes (node-2 …) may still run, each in its own process group,
 * holding a GPU and a port the next start needs. run/nodes.json names them with their start time (so a pid reused by
 * a later process is left alone); each is asked for its sessions' token counts, then stopped.
 */
import type { FetchFn } from "../../context.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import { isProcessAlive, processStartToken, terminateGroup } from "../supervisor/process-group.ts";
import { salvageNodeCounts } from "../../proof/salvage.ts";
import { readNodesFile, removeNodesFile } from "./nodes-file.ts";

export async function reapExtraNodes(runDir: string, stateDir: string, fetchFn: FetchFn, logger: Logger, graceMs = 10_000): Promise<number[]> {
  const nodes = readNodesFile(runDir) ?? [];
  const stopped: number[] = [];
  // The first node is the PID file's: reapStaleHost handles it.
  for (const node of nodes.slice(1)) {
    if (!node.pid || !isProcessAlive(node.pid)) continue;
    if (node.processStart && processStartToken(node.pid) !== undefined && processStartToken(node.pid) !== node.processStart) continue;
    logger.warn(`Stopping ${node.name} left running by a host that is gone (node pid ${node.pid})`, { model: node.model });
    if (node.port) await salvageNodeCounts(stateDir, `http://127.0.0.1:${node.port}`, fetchFn, logger).catch(() => undefined);
    await terminateGroup(node.pid, graceMs);
    stopped.push(node.pid);
  }
  removeNodesFile(runDir);
  return stopped;
}
