/**
 * Break-even prices: for a model × token price, what one checkpoint earns at the proof interval clients use, beside
 * what a proof (and a settlement) costs at the current fees, and the price at which a checkpoint pays for its proof.
 * Pure: the costs come in a CostBasis (cost-basis.ts reads them).
 */
import { fromContractPrice, HUMAN_UNIT, type PriceToken } from "../host/pricing/units.ts";
import { amountOf, type TokenAmount } from "../host/ledger/amounts.ts";
import { hostPaymentFor, priceToEarn } from "./billing.ts";
import { weiToUsdc } from "./rates.ts";

export interface GasFigure {
  gas: string;
  /** "ledger": the median of this host's own transactions of the kind; "estimate": a figure measured on the devnet. */
  source: "ledger" | "estimate";
  samples: number;
  /** Median L1 data fee of those transactions, wei. */
  l1FeeWei: string;
}

export interface CostBasis {
  /** Wei per gas: the latest block's base fee plus the suggested priority fee. */
  gasPriceWei: string;
  baseFeeWei: string;
  feeBasisPoints: number;
  proof: GasFigure & { costWei: string };
  settlement: GasFigure & { costWei: string };
  intervals: { sdkDefault: number; smallestSeen: number | null; sessionsLooked: number };
}

export interface BreakEvenRow {
  model: string;
  modelId: string;
  token: PriceToken;
  /** Contract units. */
  price: string;
  priceHuman: string;
  unit: string;
  interval: number;
  /** One checkpoint of `interval` tokens, after the treasury fee. */
  earnsPerCheckpoint: TokenAmount;
  /** A proof and a settlement in the price's token (USDC through economics.ethUsd); null without a rate. */
  proofCost: TokenAmount | null;
  settlementCost: TokenAmount | null;
  /** Lowest price at which a checkpoint pays for its proof; null without a rate. */
  breakEven: string | null;
  breakEvenHuman: string | null;
  /** Same, for a one-checkpoint session that also pays its settlement. */
  breakEvenWithSettlement: string | null;
  below: boolean;
}

export interface PriceInput {
  model: string;
  modelId: string;
  token: PriceToken;
  price: bigint;
}

/** One row per price and per interval clients use (the SDK default, and the smallest seen when it differs). */
export function breakEvenRows(prices: PriceInput[], basis: CostBasis, ethUsd: number | null): BreakEvenRow[] {
  const intervals = [...new Set([basis.intervals.sdkDefault, ...(basis.intervals.smallestSeen ? [basis.intervals.smallestSeen] : [])])].sort((a, b) => a - b);
  const fee = BigInt(basis.feeBasisPoints);
  const inToken = (token: PriceToken, wei: bigint) => (token === "eth" ? wei : weiToUsdc(wei, ethUsd));
  return prices.flatMap((p) =>
    intervals.map((interval): BreakEvenRow => {
      const proofCost = inToken(p.token, BigInt(basis.proof.costWei));
      const settlementCost = inToken(p.token, BigInt(basis.settlement.costWei));
      const breakEven = proofCost === null ? null : priceToEarn(proofCost, BigInt(interval), fee);
      const withSettlement = proofCost === null || settlementCost === null ? null : priceToEarn(proofCost + settlementCost, BigInt(interval), fee);
      return {
        model: p.model,
        modelId: p.modelId,
        token: p.token,
        price: p.price.toString(),
        priceHuman: fromContractPrice(p.token, p.price),
        unit: HUMAN_UNIT[p.token],
        interval,
        earnsPerCheckpoint: amountOf(p.token, hostPaymentFor(BigInt(interval), p.price, fee)),
        proofCost: proofCost === null ? null : amountOf(p.token, proofCost),
        settlementCost: settlementCost === null ? null : amountOf(p.token, settlementCost),
        breakEven: breakEven?.toString() ?? null,
        breakEvenHuman: breakEven === null ? null : fromContractPrice(p.token, breakEven),
        breakEvenWithSettlement: withSettlement?.toString() ?? null,
        below: breakEven !== null && p.price < breakEven,
      };
    }),
  );
}

/** A warning line per price below break-even (one per price: at its smallest interval, the costliest cadence). */
export function belowBreakEvenWarnings(rows: BreakEvenRow[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const row of rows) {
    const key = `${row.modelId}:${row.token}`;
    if (!row.below || seen.has(key)) continue;
    seen.add(key);
    out.push(
      `${row.model} ${row.token.toUpperCase()}: ${row.priceHuman} ${row.unit} is below break-even ${row.breakEvenHuman} at ${row.interval} tokens per checkpoint (a checkpoint earns ${row.earnsPerCheckpoint.value}, a proof costs ${row.proofCost?.value})`,
    );
  }
  return out;
}
