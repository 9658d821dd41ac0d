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
 * Tokens the deposit pays for: deposit × PRICE_PRECISION (1000) / pricePerToken, the marketplace's bound on tokensUsed
 * (fabstir-compute-contracts@8edc68b src/JobMarketplaceWithModelsUpgradeable.sol:596-599, "Exceeds deposit"; the
 * devnet's "Over dep").
 */
export function depositTokens(deposit: bigint, pricePerToken: bigint): number {
  if (pricePerToken <= 0n) return Number.MAX_SAFE_INTEGER;
  const tokens = (deposit * 1000n) / pricePerToken;
  return tokens > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(tokens);
}

export interface ClaimFacts {
  /** Tokens the client received (the monitor's count). */
  served: number;
  /** The chain's tokensUsed. */
  proven: number;
  /** Tokens an earlier padded first claim proved beyond what was served then (they prove nothing served). */
  padding: number;
  proofInterval: number;
  ended: boolean;
  /** What the deposit pays for (depositTokens); no claim goes past it. */
  maxTokens: number;
}

export interface Claim {
  tokens: number;
  /** The part of `tokens` that no served token stands behind: minimum billing of a short first claim. */
  padding: number;
}

const NONE: Claim = { tokens: 0, padding: 0 };

/**
 * Tokens to claim now (0 = nothing). During a session: whole intervals of unproven tokens. At the end: whatever
 * remains if the contract takes it (at least 100 tokens; a session's first proof at least one interval, "Low first").
 * Minimum billing: a session that ends having served fewer tokens than its first proof needs is billed one interval,
 * as the real node pads its first checkpoint to the session's proofInterval (fabstir-llm-node@85a87b8
 * src/contracts/checkpoint_manager.rs:1229-1236, force_checkpoint_on_completion) — only when something was served, and
 * only the first claim. The node counts later checkpoints from what it served, not from the padded total
 * (checkpoint_manager.rs:1262, last_checkpoint = tokens_generated), so the padding is carried and added back here.
 * Nothing past the deposit is claimed (the contract's "Over dep").
 */
export function nextClaim(facts: ClaimFacts): Claim {
  const interval = checkpointInterval(facts.proofInterval);
  const unproven = facts.served + facts.padding - facts.proven;
  if (unproven <= 0 || facts.served <= 0) return NONE;
  const first = facts.proven === 0;
  let tokens: number;
  if (facts.ended) tokens = first ? Math.max(unproven, interval) : unproven;
  else tokens = unproven >= interval ? Math.floor(unproven / interval) * interval : 0;
  tokens = Math.min(tokens, facts.maxTokens - facts.proven);
  if (tokens < (first ? interval : MIN_PROVEN_TOKENS)) return NONE;
  return { tokens, padding: Math.max(0, tokens - unproven) };
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
