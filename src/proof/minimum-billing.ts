/**
 * Minimum billing on the session's proof record. A padded first claim (see nextClaim in rules.ts) proves more tokens
 * than were served; the chain's tokensUsed then runs ahead of the served count by that padding for the rest of the
 * session, and the record says so (`minimumBilled`), for `status` and the ledger.
 */
import type { ProofStep, SessionRecord } from "./journal.ts";

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
