/**
 * What `status` reads from this machine: whether the host process runs (the PID file), and what the proof pipeline's
 * journal and the earnings ledger cache know about each session. Reading never creates or changes a file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Paths } from "../../config/paths.ts";
import { readDaemonState } from "../../daemon/pid-file.ts";
import type { SessionRecord } from "../../proof/journal.ts";
import { loadLedger, type LedgerIdentity } from "../ledger/store.ts";
import { readArchivedSessions } from "../../ops/maintenance/prune-state.ts";
import type { NodeProcessStatus } from "./types.ts";
import { readNodesFile } from "../../node/instances/nodes-file.ts";

export function nodeProcessStatus(paths: Paths, now: number): NodeProcessStatus {
  const state = readDaemonState(paths);
  if (state.status === "not-running") {
    return { status: "not-running", mode: null, state: null, pid: null, nodePid: null, startedAt: null, uptimeSeconds: null, reason: null };
  }
  const record = state.record;
  const started = record ? Date.parse(record.started) : NaN;
  const running = state.status === "running";
  return {
    status: state.status,
    mode: record?.mode ?? null,
    state: record?.state ?? null,
    pid: record?.pid ?? null,
    nodePid: record?.node?.pid ?? null,
    startedAt: record?.started ?? null,
    uptimeSeconds: running && Number.isFinite(started) ? Math.max(0, Math.floor((now - started) / 1000)) : null,
    reason: state.status === "stale" ? state.reason : null,
    nodes: running ? readNodesFile(paths.runDir) : null,
  };
}

/** Per job id: tokens the node generated and proofs landed, from the proof journal. */
export interface JournalSession {
  generated: number;
  proofs: number;
  pending: number;
}

export function journalSessions(stateDir: string): Map<string, JournalSession> {
  const out = new Map<string, JournalSession>();
  // Sessions settled long ago live on as one line each in the archive (see ops/maintenance/prune-state.ts).
  for (const archived of readArchivedSessions(stateDir)) {
    if (archived.jobId) out.set(archived.jobId, { generated: archived.generated, proofs: archived.proofs, pending: 0 });
  }
  for (const folder of ["finished", "active"]) {
    const dir = join(stateDir, "proofs", folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(".json")) continue;
      let record: SessionRecord;
      try {
        record = JSON.parse(readFileSync(join(dir, name), "utf8")) as SessionRecord;
      } catch {
        continue; // being replaced right now, or damaged: the pipeline reports it, status just skips it
      }
      if (!record.jobId) continue;
      out.set(String(record.jobId), {
        generated: record.generated ?? 0,
        proofs: (record.proofs ?? []).filter((p) => p.state === "landed").length,
        pending: (record.proofs ?? []).filter((p) => p.state === "sending").length,
      });
    }
  }
  return out;
}

/** Proof counts per job id from the earnings ledger cache (it has every ProofSubmitted, also the node's own). */
export function ledgerProofCounts(stateDir: string, identity: LedgerIdentity): Map<string, number> {
  const counts = new Map<string, number>();
  const ledger = loadLedger(stateDir, identity);
  for (const event of ledger?.events ?? []) if (event.kind === "proof") counts.set(event.jobId, (counts.get(event.jobId) ?? 0) + 1);
  return counts;
}
