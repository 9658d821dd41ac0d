/**
 * EIP-1559 fees within the operator's cap (`tx.maxFeeGwei`). A new transaction offers twice the current base fee plus
 * the node's suggested tip, so one block of rising fees does not strand it; a replacement raises both the fee cap and
 * the tip by at least 12.5% (nodes refuse smaller bumps) and never beyond the cap.
 */
import { parseUnits } from "ethers";
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostError } from "../../errors/host-error.ts";

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface MarketFees {
  baseFee: bigint;
  priorityFee: bigint;
}

/** Minimal interface: ethers' provider.send and getBlock. */
export interface FeeSource {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** A tip for chains whose node does not answer eth_maxPriorityFeePerGas (0.001 gwei, typical on Base). */
const FALLBACK_TIP = 1_000_000n;

export function gweiToWei(gwei: number): bigint {
  // toFixed avoids exponent notation for small caps such as 0.000001.
  return parseUnits(gwei.toFixed(9), "gwei");
}

export async function readMarketFees(source: FeeSource): Promise<MarketFees> {
  // Issued together: one batch.
  const [block, tip] = await Promise.all([
    source.send("eth_getBlockByNumber", ["latest", false]) as Promise<{ baseFeePerGas?: string } | null>,
    (source.send("eth_maxPriorityFeePerGas", []) as Promise<string>).catch(() => undefined),
  ]);
  const baseFee = block?.baseFeePerGas ? BigInt(block.baseFeePerGas) : 0n;
  return { baseFee, priorityFee: tip ? BigInt(tip) : FALLBACK_TIP };
}

export function initialFees(market: MarketFees, capWei: bigint): Fees {
  if (market.baseFee >= capWei) {
    throw new HostError(
      ChainErrors.FEE_ABOVE_CAP,
      `The network base fee is ${formatGwei(market.baseFee)} gwei, at or above the cap of ${formatGwei(capWei)} gwei (tx.maxFeeGwei). Nothing was sent.`,
      { details: { baseFeeWei: market.baseFee.toString(), capWei: capWei.toString() } },
    );
  }
  let maxFeePerGas = market.baseFee * 2n + market.priorityFee;
  if (maxFeePerGas > capWei) maxFeePerGas = capWei;
  const headroom = maxFeePerGas - market.baseFee;
  const maxPriorityFeePerGas = market.priorityFee < headroom ? market.priorityFee : headroom;
  return { maxFeePerGas, maxPriorityFeePerGas };
}

const bump = (value: bigint): bigint => (value === 0n ? 1n : (value * 1125n + 999n) / 1000n);

/** Fees for a replacement of `previous`, or null when the cap leaves no room for the minimum bump. */
export function replacementFees(previous: Fees, market: MarketFees, capWei: bigint): Fees | null {
  const minMaxFee = bump(previous.maxFeePerGas);
  const minTip = bump(previous.maxPriorityFeePerGas);
  const tip = market.priorityFee > minTip ? market.priorityFee : minTip;
  let maxFee = market.baseFee * 2n + tip;
  if (maxFee < minMaxFee) maxFee = minMaxFee;
  if (maxFee > capWei) maxFee = capWei;
  if (maxFee < minMaxFee || tip > maxFee) return null;
  return { maxFeePerGas: maxFee, maxPriorityFeePerGas: tip };
}

export function formatGwei(wei: bigint): string {
  const whole = wei / 1_000_000_000n;
  const fraction = (wei % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}
