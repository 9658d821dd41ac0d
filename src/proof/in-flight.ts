/**
 * What a restart or a failed send leaves half done, made whole from the chain and the node before anything new is
 * claimed: a proof that may still be on its way is carried through as the same intent (never replaced by a new claim
 * that would prove the same tokens twice), and a session cut off by our own restart takes the node's token count when
 * the journal's lags behind it.
 */
import { markLanded } from "./minimum-billing.ts";
import type { FetchFn } from "../context.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import type { OnChainSession, ProofChain } from "./chain-port.ts";
import type { ProofStep, SessionRecord } from "./journal.ts";
import { readNodeCheckpoints } from "./material.ts";

export interface InFlightDeps {
  chain: ProofChain;
  fetch: FetchFn;
  nodeUrl: string;
  logger: Logger;
  persist(record: SessionRecord): void;
}

/**
 * A proof journaled as sending may still be on its way (we crashed, or the RPC failed mid-send, after it was signed):
 * while its transaction may still be mined it is carried through with exactly the same claim, key and material, so
 * the chain layer resumes that very intent. The chain says which it is: landed (tokensUsed reached it), still on its
 * way (tokensUsed is where it started from, and the chain layer holds a live intent for it), or over: nothing of it was
 * sent or can be mined any more, or the chain moved another way (the node proved meanwhile, in node mode). Those are
 * dropped, and the caller claims afresh.
 */
export async function pendingProof(record: SessionRecord, session: OnChainSession, deps: InFlightDeps): Promise<ProofStep | undefined> {
  let pending: ProofStep | undefined;
  let changed = false;
  for (const step of record.proofs) {
    if (step.state !== "sending") continue;
    changed = true;
    const fromHere = session.tokensUsed === step.cumulative - step.tokens;
    if (session.tokensUsed >= step.cumulative) markLanded(record, step, step.at);
    else if (!pending && fromHere && ((await deps.chain.intentLive?.(step.key)) ?? true)) pending = step;
    else {
      step.state = "failed";
      step.error = fromHere ? "not sent, and nothing of it can be mined: claimed afresh" : `overtaken: the chain has ${session.tokensUsed} tokens proven`;
      if (!fromHere)
        deps.logger.warn("a proof in flight was overtaken on chain; not sent again", {
          sessionId: record.sessionId,
          key: step.key,
          tokensUsed: session.tokensUsed,
        });
    }
  }
  if (changed && !pending) deps.persist(record);
  return pending;
}

/**
 * A session cut off by our own restart. Its journaled count is what the client received (the count file is written as
 * each delivered count is noted, src/session/monitor.ts); the node's checkpoint index counts what it generated, which
 * may be more (frames queued or dropped at the client's socket). The node's count is logged, never taken: a client
 * is billed only for tokens it received.
 */
export async function recountFromNode(record: SessionRecord, deps: InFlightDeps): Promise<void> {
  const index = await readNodeCheckpoints(deps.fetch, deps.nodeUrl, record.sessionId);
  if (index && (index.jobId === undefined || index.jobId === record.jobId) && index.totalTokens > record.generated) {
    deps.logger.info("the node counted more than the client received; the delivered count stands", {
      sessionId: record.sessionId,
      delivered: record.generated,
      node: index.totalTokens,
    });
  }
  record.recounted = true;
  deps.persist(record);
}

/**
 * A job recovery found on chain, unknown to the journal, turned out to be a live session (its client connected after
 * our restart): that session's record proves and settles it; the found one steps aside unless already settling.
 */
export function supersedeFoundJob(
  jobId: string,
  records: Map<string, SessionRecord>,
  timers: Map<string, () => void>,
  persist: (record: SessionRecord) => void,
): void {
  const found = records.get(`job-${jobId}`);
  if (found?.endReason !== "found_on_chain" || found.finished || found.settlement?.state === "sending") return;
  Object.assign(found, { finished: true, endReason: "superseded" });
  persist(found);
  records.delete(found.sessionId);
  timers.get(found.sessionId)?.();
  timers.delete(found.sessionId);
}
