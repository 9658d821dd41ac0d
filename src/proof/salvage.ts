/**
 * What can be saved from a node that outlived its host, before the orphan is stopped. The node's checkpoint index
 * (it outlives the sockets) knows each session's job id, which a journal may lack; its token count is what the node
 * generated, not what reached the client, so it never raises the journal's count: the count file holds the tokens
 * the front delivered (src/session/monitor.ts), and a client is billed for those alone. A node count above it is
 * logged, not taken.
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
  /** Sessions whose journal learnt its job id from the node. */
  updated: number;
  /** Sessions where the node counted more than was delivered (the journal kept the delivered count). */
  nodeAhead: number;
}

export async function salvageNodeCounts(stateDir: string, nodeUrl: string, fetchFn: FetchFn, logger: Logger, timeoutMs = 1500): Promise<SalvageResult> {
  if (!existsSync(join(stateDir, "proofs", "active"))) return { sessions: 0, updated: 0, nodeAhead: 0 };
  const journal = new ProofJournal(stateDir);
  const open = journal.loadActive().filter((record) => !record.stopped);
  let updated = 0;
  let nodeAhead = 0;
  await Promise.all(
    open.map(async (record) => {
      const index = await readNodeCheckpoints(fetchFn, nodeUrl, record.sessionId, timeoutMs);
      // A different job under the same session id is another session: its count is not this one's.
      if (!index || (index.jobId !== undefined && record.jobId !== undefined && index.jobId !== record.jobId)) return;
      const learntJob = record.jobId === undefined && index.jobId !== undefined;
      // `record.generated` already holds the count file's delivered count (ProofJournal.loadActive).
      if (index.totalTokens > record.generated) {
        nodeAhead++;
        logger.info("the node a dead host left running counted more than its clients received; the delivered count stands", {
          sessionId: record.sessionId,
          delivered: record.generated,
          node: index.totalTokens,
        });
      }
      if (!learntJob) return;
      record.jobId = index.jobId;
      try {
        journal.save(record);
        updated++;
      } catch (error) {
        logger.error("could not write the proof journal", { sessionId: record.sessionId, error: (error as Error).message });
      }
    }),
  );
  return { sessions: open.length, updated, nodeAhead };
}
