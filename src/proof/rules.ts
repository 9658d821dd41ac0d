/**
 * The contract's proof rules, as pure functions. JobMarketplace accepts `submitProofOfWork` only from the session's
 * host, for at least MIN_PROVEN_TOKENS (100) tokens, at most 2000 tokens per second since the last proof, while the
 * session is active. We respect the rate rule by waiting, never by reverting.
 */
export const MIN_PROVEN_TOKENS = 100;
export const MAX_TOKENS_PER_SECOND = 2000;

/** A checkpoint is due every max(100, proofInterval) tokens. */
export function checkpointInterval(proofInterval: number): number {
  return Math.max(MIN_PROVEN_TOKENS, proofInterval);
}

/**
 * Tokens to claim now, or 0. During a session: whole intervals of unproven tokens. At the end: whatever remains, if the
 * contract accepts that many.
 */
export function claimDue(generated: number, proven: number, interval: number, ended: boolean): number {
  const unproven = generated - proven;
  if (unproven <= 0) return 0;
  // The contract wants a session's first proof to cover at least one whole interval.
  if (ended) return unproven >= (proven === 0 ? interval : MIN_PROVEN_TOKENS) ? unproven : 0;
  return unproven >= interval ? Math.floor(unproven / interval) * interval : 0;
}

/** Seconds to wait before `claim` tokens pass the rate rule (0 = now), judged on chain time. */
export function rateWaitSeconds(claim: number, lastProofTime: number, chainNow: number): number {
  const needed = Math.ceil(claim / MAX_TOKENS_PER_SECOND);
  // The contract needs at least one second since the last proof even for a small claim.
  const elapsed = chainNow - lastProofTime;
  return Math.max(0, Math.max(1, needed) - elapsed);
}

/** When the host may complete the session (the dispute window runs from the start, and from the last proof). */
export function completeAllowedAt(startTime: number, lastProofTime: number, disputeWindow: number): number {
  return Math.max(startTime, lastProofTime) + disputeWindow;
}

type TimeoutFacts = { startTime: number; maxDuration: number; lastProofTime: number; proofTimeoutWindow: number };

/** Whether anyone may time the session out (it ran out of time, or its proofs are overdue). */
export function timeoutAllowed(session: TimeoutFacts, chainNow: number): boolean {
  return chainNow > session.startTime + session.maxDuration || chainNow > session.lastProofTime + session.proofTimeoutWindow;
}

/** The first chain second at which timeoutAllowed holds. */
export function timeoutAllowedAt(session: TimeoutFacts): number {
  return Math.min(session.startTime + session.maxDuration, session.lastProofTime + session.proofTimeoutWindow) + 1;
}
