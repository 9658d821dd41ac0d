/**
 * Counts saved from a node that outlived its host. A host killed outright (SIGKILL, OOM) may have forwarded tokens
 * it never wrote down (its latest counts reach the journal every 100 ms). The node it left running still knows them
 * (its checkpoint index outlives the sockets), but only until it is stopped: so before the orphan is stopped, every
 * unfinished session's count is read from it into the journal. The pipeline of the next host then proves what was
 * served, not what was last journaled.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { FetchFn } from "../context.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import { ProofJournal } from "./journal.ts";
import { readNodeCheckpoints } from "./material.ts";

export interface SalvageResult {
  /** Unfinished sessions in the journal. */
  sessions: number;
  /** Sessions whose journal was brought up to the node's count (or learnt its job id from the node). */
  updated: number;
}

export async function salvageNodeCounts(stateDir: string, nodeUrl: string, fetchFn: FetchFn, logger: Logger, timeoutMs = 1500): Promise<SalvageResult> {
  if (!existsSync(join(stateDir, "proofs", "active"))) return { sessions: 0, updated: 0 };
  const journal = new ProofJournal(stateDir);
  const open = journal.loadActive().filter((record) => !record.stopped);
  let updated = 0;
  await Promise.all(
    open.map(async (record) => {
      const index = await readNodeCheckpoints(fetchFn, nodeUrl, record.sessionId, timeoutMs);
      // A different job under the same session id is another session: its count is not this one's.
      if (!index || (index.jobId !== undefined && record.jobId !== undefined && index.jobId !== record.jobId)) return;
      const learntJob = record.jobId === undefined && index.jobId !== undefined;
      if (index.totalTokens <= record.generated && !learntJob) return;
      logger.info("token count saved from the node a dead host left running", { sessionId: record.sessionId, journal: record.generated, node: index.totalTokens });
      record.generated = Math.max(record.generated, index.totalTokens);
      if (learntJob) record.jobId = index.jobId;
      try {
        journal.save(record);
        updated++;
      } catch (error) {
        logger.error("could not write the proof journal", { sessionId: record.sessionId, error: (error as Error).message });
      }
    }),
  );
  return { sessions: open.length, updated };
}
