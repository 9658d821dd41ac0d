/**
 * Keeps the state directory from growing for ever on a host that serves for months. Two kinds of files pile up, one
 * per session and one per transaction, and both are only history once settled:
 *   - finished proof journals (`proofs/finished/`): older than the retention, each becomes one line of
 *     `proofs/finished-archive.jsonl` (job, session, tokens generated, proofs landed: what `status` shows), and its
 *     file goes. A file of a few hundred bytes costs a whole disk block; the line costs about 150 bytes.
 *   - finished transaction records (`tx-journal/<chain>-<address>/done/`): older than the retention, removed. The chain
 *     holds those transactions, the earnings ledger holds every proof and credit; an idempotency key of a finished
 *     intent is not resent after that long (the proof pipeline never comes back to a settled session, and host
 *     operations plan from chain state).
 * Unfinished work (`active/` folders) and the earnings ledger are never touched.
 */
import { existsSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { SessionRecord } from "../../proof/journal.ts";
import { writeSynced } from "../../util/atomic-write.ts";

export const STATE_RETENTION_DAYS = 30;

export interface ArchivedSession {
  jobId: string | null;
  sessionId: string;
  generated: number;
  proofs: number;
  endedAt: number | null;
}

export interface PruneResult {
  sessionsArchived: number;
  transactionsRemoved: number;
}

export function archivePath(stateDir: string): string {
  return join(stateDir, "proofs", "finished-archive.jsonl");
}

export function pruneState(stateDir: string, now: number, retentionDays = STATE_RETENTION_DAYS): PruneResult {
  const cutoff = now - retentionDays * 86_400_000;
  return { sessionsArchived: archiveFinishedSessions(stateDir, cutoff), transactionsRemoved: removeFinishedTransactions(stateDir, cutoff) };
}

function archiveFinishedSessions(stateDir: string, cutoff: number): number {
  const dir = join(stateDir, "proofs", "finished");
  if (!existsSync(dir)) return 0;
  let archived = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".json")) continue;
    const path = join(dir, name);
    let record: SessionRecord;
    try {
      record = JSON.parse(readFileSync(path, "utf8")) as SessionRecord;
    } catch {
      continue; // damaged: left for a person to look at
    }
    const at = record.settlement?.at ?? record.endedAt ?? record.openedAt;
    if (!record.finished || at >= cutoff) continue;
    const line: ArchivedSession = {
      jobId: record.jobId ?? null,
      sessionId: record.sessionId,
      generated: record.generated ?? 0,
      proofs: (record.proofs ?? []).filter((p) => p.state === "landed").length,
      endedAt: record.endedAt ?? null,
    };
    // The line is synced before the file goes: a crash in between leaves both, and the next run appends a second line
    // for the session, which readers take as one (the last wins).
    writeSynced(archivePath(stateDir), JSON.stringify(line) + "\n", "a");
    unlinkSync(path);
    archived++;
  }
  return archived;
}

function removeFinishedTransactions(stateDir: string, cutoff: number): number {
  const root = join(stateDir, "tx-journal");
  if (!existsSync(root)) return 0;
  let removed = 0;
  for (const sender of readdirSync(root)) {
    const done = join(root, sender, "done");
    if (!existsSync(done)) continue;
    for (const name of readdirSync(done)) {
      if (!name.endsWith(".json")) continue;
      const path = join(done, name);
      try {
        const record = JSON.parse(readFileSync(path, "utf8")) as { state?: string; updatedAt?: number };
        if ((record.state === "confirmed" || record.state === "failed") && (record.updatedAt ?? Infinity) < cutoff) {
          unlinkSync(path);
          removed++;
        }
      } catch {
        // damaged or being replaced: left alone
      }
    }
  }
  return removed;
}

/** The archive's sessions, the last line per session winning. */
export function readArchivedSessions(stateDir: string): ArchivedSession[] {
  let text: string;
  try {
    text = readFileSync(archivePath(stateDir), "utf8");
  } catch {
    return [];
  }
  const bySession = new Map<string, ArchivedSession>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as ArchivedSession;
      bySession.set(entry.sessionId, entry);
    } catch {
      // a line cut short by a crash
    }
  }
  return [...bySession.values()];
}
