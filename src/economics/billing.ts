/**
 * The marketplace's billing rules, as the economics code needs them (our own statement of them, not a copy):
 *   - a session pays `tokensUsed × pricePerToken / PRICE_PRECISION`, PRICE_PRECISION = 1000
 *     (fabstir-compute-contracts@8edc68b src/JobMarketplaceWithModelsUpgradeable.sol:128, :684);
 *   - the treasury keeps `feeBasisPoints / 10000` of it (same file :689-690);
 *   - only proven tokens are billed: `tokensUsed` grows by each proof's `tokensClaimed` (same file :595-627), and a
 *     proof must claim at least MIN_PROVEN_TOKENS = 100 (:98, :588) and at most 2,000 tokens a second since the
 *     previous one (:591-593).
 */
import { PRICE_PRECISION, paymentFor } from "../host/pricing/units.ts";

/** The treasury's share of every payment, in basis points (the contract's feeBasisPoints as deployed; economics reads the live value). */
export const TREASURY_FEE_BPS = 1000n;
export const MIN_PROVEN_TOKENS = 100;
export const MAX_TOKENS_PER_SECOND = 2000;
/** The SDK's default checkpoint interval in tokens (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/types/index.ts:539). */
export const SDK_DEFAULT_PROOF_INTERVAL = 1000;

/** What `tokens` proven tokens pay the host after the treasury fee, in the session token's base units (rounded down as the contract does). */
export function hostPaymentFor(tokens: bigint, pricePerToken: bigint, feeBasisPoints: bigint): bigint {
  const gross = paymentFor(tokens, pricePerToken);
  return gross - (gross * feeBasisPoints) / 10_000n;
}

/** The price at which `tokens` tokens pay (after the fee) at least `cost`, in contract units; rounded up. */
export function priceToEarn(cost: bigint, tokens: bigint, feeBasisPoints: bigint): bigint {
  if (tokens <= 0n) return 0n;
  const keep = 10_000n - feeBasisPoints;
  if (keep <= 0n) return 0n;
  // gross × keep / 10000 ≥ cost  ⇔  gross ≥ cost × 10000 / keep; gross = tokens × price / 1000.
  const gross = ceilDiv(cost * 10_000n, keep);
  let price = ceilDiv(gross * PRICE_PRECISION, tokens);
  // The two roundings (payment down, fee down) may leave the estimate a few units high: step down to the exact one.
  while (price > 0n && hostPaymentFor(tokens, price - 1n, feeBasisPoints) >= cost) price -= 1n;
  return price;
}

export function ceilDiv(a: bigint, b: bigint): bigint {
  return a <= 0n ? 0n : (a + b - 1n) / b;
}
