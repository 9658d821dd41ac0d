/**
 * Minimum billing on the session's proof record. A padded first claim (see nextClaim in rules.ts) proves more tokens
 * than were served; the chain's tokensUsed then runs ahead of the served count by that padding for the rest of the
 * session, and the record says so (`minimumBilled`), for `status` and the ledger.
 */
import type { ProofStep, SessionRecord } from "./journal.ts";
import type { OnChainSession } from "./chain-port.ts";
import { checkpointInterval } from "./rules.ts";
import type { PipelineOptions } from "./pipeline-types.ts";

/** Padding the chain holds for this session: that of every padded claim that landed. */
export function paddingOf(record: SessionRecord): number {
  return record.proofs.reduce((sum, step) => sum + (step.state === "landed" ? (step.padding ?? 0) : 0), 0);
}

/** Marks the record minimum-billed once a padded claim landed; true when the record changed. */
export function noteMinimumBilled(record: SessionRecord, at: number): boolean {
  if (record.minimumBilled) return false;
  const padded = record.proofs.find((step) => step.state === "landed" && (step.padding ?? 0) > 0);
  if (!padded) return false;
  record.minimumBilled = { served: padded.cumulative - padded.padding!, billed: padded.cumulative, at };
  return true;
}

/**
 * A claim the chain took, whoever found it (its sender, or the in-flight check after a restart or a lost receipt):
 * the step is landed, and a padded first claim marks the record minimum-billed in the same change.
 */
export function markLanded(record: SessionRecord, step: ProofStep, at: number, txHash?: string): void {
  Object.assign(step, txHash === undefined ? { state: "landed" } : { state: "landed", txHash });
  // The record's steps may have been replaced while the claim was on its way: the landed one is put back by key.
  record.proofs = record.proofs.map((p) => (p.key === step.key ? { ...step } : p));
  noteMinimumBilled(record, at);
}

/**
 * What a settled session was billed beyond what its client was served, the padding up to its proofInterval aside (a
 * short session is billed at least that). This CLI's own claims never go beyond; a node's can: after a padded first
 * checkpoint the real node counts on from what it generated, so a job whose proofInterval is above the node's
 * 1,000-token threshold is billed again for tokens the padding paid (docs/NODE-COMPATIBILITY.md, known differences),
 * and tokens in flight when a host dies are counted by the node but never reached the client. Reported, since a
 * client may dispute it; nothing on chain can take it back.
 */
export function overBilled(record: Pick<SessionRecord, "generated" | "proven">, session: Pick<OnChainSession, "tokensUsed" | "proofInterval">): number {
  const billable = Math.max(record.generated, checkpointInterval(session.proofInterval));
  return Math.max(0, Math.max(record.proven, session.tokensUsed) - billable);
}

/** Logs and counts (the `over_billed` metric) what a settled session was billed beyond what the front delivered. */
export function reportOverBilling(
  options: Pick<PipelineOptions, "logger" | "onMetric">,
  record: Pick<SessionRecord, "sessionId" | "jobId" | "proven">,
  session: Pick<OnChainSession, "tokensUsed" | "proofInterval">,
  delivered: number,
): void {
  const over = overBilled({ generated: delivered, proven: record.proven }, session);
  if (over <= 0) return;
  options.logger.warn("a session was billed beyond what its client was served", {
    sessionId: record.sessionId,
    jobId: record.jobId,
    served: delivered,
    billed: Math.max(record.proven, session.tokensUsed),
    proofInterval: session.proofInterval,
    over,
  });
  options.onMetric?.({ type: "over_billed", jobId: record.jobId ?? "", tokens: over });
}
