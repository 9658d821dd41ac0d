/**
 * `run/nodes.json`: the running host's nodes as `status` shows them (model, GPUs, state, port, health), rewritten
 * atomically whenever one of them changes and removed when the host stops. Nothing secret is in it.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { atomicWriteFileSync } from "../../util/atomic-write.ts";

export interface NodeReport {
  name: string;
  model: string | null;
  gpus: number[];
  state: string;
  port: number | null;
  pid: number | null;
  restarts: number;
  /** The last /health answer ("degraded" is normal for a real node: it never has a P2P node, see supervisor/health.ts). */
  health: string | null;
  unhealthyReason: string | null;
  /** Sessions open on this node. */
  sessions: number;
  /** The node process's start time (tells it from a later process that reused the pid). */
  processStart?: string | null;
}

export const nodesFilePath = (runDir: string) => join(runDir, "nodes.json");

export function writeNodesFile(runDir: string, nodes: NodeReport[]): void {
  atomicWriteFileSync(nodesFilePath(runDir), `${JSON.stringify({ nodes }, null, 2)}\n`, { mode: 0o600 });
}

export function readNodesFile(runDir: string): NodeReport[] | null {
  const path = nodesFilePath(runDir);
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { nodes?: NodeReport[] };
    return Array.isArray(parsed.nodes) ? parsed.nodes : null;
  } catch {
    return null;
  }
}

export function removeNodesFile(runDir: string): void {
  rmSync(nodesFilePath(runDir), { force: true });
}
