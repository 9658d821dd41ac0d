/**
 * How a settled session was billed, from chain facts alone. The marketplace's settlement
 * (fabstir-compute-contracts@faa3621 src/JobMarketplaceWithModelsUpgradeable.sol, `_settleSessionPayments`) bills
 * max(tokensUsed, proofInterval) once a proof exists, and credits a depositor's early cancel (completed before any
 * proof) with minTokensFee × price / 1000; its `submitProofOfWork` ("Low first") makes the first proof claim at least
 * proofInterval, so a session with proofs never bills fewer than proofInterval tokens.
 *   - "early-cancel": no proof, yet the host was credited (the early-cancel fee, no treasury cut);
 *   - "minimum":      proofs exist and the billed tokens are the session's proofInterval (the floor);
 *   - "tokens":       billed by proven tokens above the floor, or nothing (no proof, no credit).
 */
export type Billing = "minimum" | "early-cancel" | "tokens";

export interface BillingFacts {
  /** sessionJobs.tokensUsed, or SessionCompleted.totalTokensUsed: the proven total (0 without a proof). */
  tokensUsed: bigint;
  /** null where the session's terms were never read (then the floor is unknown). */
  proofInterval: bigint | null;
  /** Net amount credited to the host at settlement (SessionCompleted.hostEarnings). */
  credited: bigint;
}

export function billingOf(facts: BillingFacts): Billing {
  if (facts.tokensUsed === 0n) return facts.credited > 0n ? "early-cancel" : "tokens";
  if (facts.proofInterval !== null && facts.tokensUsed <= facts.proofInterval) return "minimum";
  return "tokens";
}
