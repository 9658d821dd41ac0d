/**
 * When to claim a checkpoint: a pure decision the proof pipeline asks before each submitProofOfWork. Proving every
 * interval can cost more gas than the interval earns (a ~300,000-gas proof for 1,000 cheap tokens); waiting too long
 * risks the session timing out with work unbilled, or a client vanishing with many tokens unproven. The rules, first
 * match wins:
 *   1. fewer than MIN_PROVEN_TOKENS unproven: the contract refuses the claim, so wait;
 *   2. the session ended: claim once if what it earns covers its gas (unproven tokens are lost at settlement);
 *   3. the proof timeout is near (fewer than `timeoutMarginSeconds` left): claim, or the session times out;
 *   4. `maxUnprovenIntervals` intervals or more unproven: claim, to cap what a vanished client can leave unpaid;
 *   5. the claim is worth at least `minValueToGas` times its gas: claim;
 *   otherwise wait.
 * Where the value cannot be compared with gas (a USDC session and no ETH/USD rate), rule 5 becomes "claim at every
 * interval", the behaviour of a host without this policy.
 */
import { hostPaymentFor, MIN_PROVEN_TOKENS } from "./billing.ts";

export interface ProofPolicyInput {
  /** Tokens served since the last proof. */
  unprovenTokens: number;
  /** The session's price in contract units (payment = tokens × price / 1000). */
  pricePerToken: bigint;
  token: "eth" | "usdc";
  /** Treasury fee of the marketplace, basis points. */
  feeBasisPoints: bigint;
  /** Wei one proof costs at the current fees (L2 gas × price, plus the L1 data fee). */
  proofCostWei: bigint;
  /** `proofs.minValueToGas`: claim once a proof is worth this many times its gas. */
  minValueToGas: number;
  /** The session's checkpoint interval in tokens. */
  proofInterval: number;
  /** `proofs.maxUnprovenIntervals`: claim at the latest after this many intervals. */
  maxUnprovenIntervals: number;
  /** Seconds until lastProofTime + proofTimeoutWindow. */
  secondsToTimeout: number;
  /** Claim when fewer seconds than this are left before the timeout. */
  timeoutMarginSeconds: number;
  /** The client has ended the session: this is the last chance to prove. */
  sessionEnded: boolean;
  /** USD per ETH, to compare a USDC claim with gas; null when the operator gave none. */
  ethUsd?: number | null;
}

/**
 * Defaults for a caller without settings of its own: a claim worth twice its gas, at most 10 intervals unproven, a
 * minute's margin before the timeout (the benchmark scripts/bench/proof-economics.ts uses these).
 */
export const DEFAULT_PROOF_POLICY = { minValueToGas: 2, maxUnprovenIntervals: 10, timeoutMarginSeconds: 60 } as const;

export type ProofReason = "below-minimum" | "final" | "final-not-worth-gas" | "timeout-near" | "max-unproven" | "worth-gas" | "interval-no-rate" | "wait";

export interface ProofDecision {
  claim: boolean;
  reason: ProofReason;
  /** What the claim would earn after the fee, in wei; null when it cannot be expressed in ETH. */
  valueWei: bigint | null;
}

export function decideProof(input: ProofPolicyInput): ProofDecision {
  const tokens = Math.max(0, Math.floor(input.unprovenTokens));
  const valueWei = claimValueWei(input, tokens);
  const decide = (claim: boolean, reason: ProofReason): ProofDecision => ({ claim, reason, valueWei });
  if (tokens < MIN_PROVEN_TOKENS) return decide(false, "below-minimum");
  if (input.sessionEnded) {
    if (valueWei === null || valueWei >= input.proofCostWei) return decide(true, "final");
    return decide(false, "final-not-worth-gas");
  }
  if (input.secondsToTimeout <= input.timeoutMarginSeconds) return decide(true, "timeout-near");
  if (tokens >= Math.max(1, input.maxUnprovenIntervals) * input.proofInterval) return decide(true, "max-unproven");
  if (valueWei === null) return tokens >= input.proofInterval ? decide(true, "interval-no-rate") : decide(false, "wait");
  if (valueWei * 1000n >= input.proofCostWei * BigInt(Math.round(input.minValueToGas * 1000))) return decide(true, "worth-gas");
  return decide(false, "wait");
}

/** The claim's net value in wei: ETH sessions directly, USDC sessions through the operator's rate. */
export function claimValueWei(input: Pick<ProofPolicyInput, "pricePerToken" | "token" | "feeBasisPoints" | "ethUsd">, tokens: number): bigint | null {
  const value = hostPaymentFor(BigInt(tokens), input.pricePerToken, input.feeBasisPoints);
  if (input.token === "eth") return value;
  return usdcToWei(value, input.ethUsd ?? null);
}

/** USDC base units (6 decimals) to wei at `ethUsd` dollars per ETH; null without a rate. */
export function usdcToWei(usdcRaw: bigint, ethUsd: number | null): bigint | null {
  if (ethUsd === null || !(ethUsd > 0)) return null;
  const microUsdPerEth = BigInt(Math.round(ethUsd * 1_000_000));
  // usdcRaw micro-dollars ÷ (micro-dollars per ETH) × 10^18 wei per ETH.
  return (usdcRaw * 10n ** 18n) / microUsdPerEth;
}

/** Wei to USDC base units at `ethUsd`; null without a rate. */
export function weiToUsdc(wei: bigint, ethUsd: number | null): bigint | null {
  if (ethUsd === null || !(ethUsd > 0)) return null;
  const microUsdPerEth = BigInt(Math.round(ethUsd * 1_000_000));
  return (wei * microUsdPerEth) / 10n ** 18n;
}
