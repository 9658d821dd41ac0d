/** setModelTokenPricing / clearModelTokenPricing transactions for the pairs whose chain price differs from the wanted one. */
import type { ChainClient } from "../../chain/index.ts";
import { tokenAddress } from "./prices.ts";
import { fromContractPrice, type PriceToken } from "./units.ts";
import { GAS_GUESS, type PlannedTx } from "../operation/tx-plan.ts";

export interface PriceTarget {
  /** `repo:file`. */
  model: string;
  modelId: string;
  token: PriceToken;
  /** Wanted price, contract units. */
  price: bigint;
  /** What the chain holds now (0 = no price: sessions for this pair revert). */
  onChain: bigint;
}

export function describePrice(token: PriceToken, price: bigint): string {
  return `${fromContractPrice(token, price)} ${token === "usdc" ? "USD" : "ETH"} per ${token === "usdc" ? "million" : "thousand"} tokens`;
}

/** One transaction per pair to change, keyed `<prefix>:<address>:price:<modelId>:<token>:<price>`. */
export async function priceSteps(
  chain: ChainClient,
  address: string,
  targets: readonly PriceTarget[],
  options: { key: string; phase: number },
): Promise<PlannedTx[]> {
  const registry = chain.contracts.nodeRegistry;
  const txs: PlannedTx[] = [];
  for (const target of targets) {
    if (target.onChain === target.price) continue;
    const { data } = await registry.setModelTokenPricing.populateTransaction(target.modelId, tokenAddress(chain, target.token), target.price);
    txs.push({
      kind: "price",
      key: `${options.key}:${address}:price:${target.modelId}:${target.token}:${target.price}`,
      description: `price ${target.model} at ${describePrice(target.token, target.price)}`,
      to: chain.network.contracts.nodeRegistry,
      data,
      phase: options.phase,
      gasGuess: GAS_GUESS.price,
    });
  }
  return txs;
}

/** One clearModelTokenPricing per pair that has a price, keyed `<prefix>:<address>:clear:<modelId>:<token>`. */
export async function clearSteps(
  chain: ChainClient,
  address: string,
  targets: readonly Omit<PriceTarget, "price">[],
  options: { key: string; phase: number },
): Promise<PlannedTx[]> {
  const registry = chain.contracts.nodeRegistry;
  const txs: PlannedTx[] = [];
  for (const target of targets) {
    if (target.onChain === 0n) continue;
    const { data } = await registry.clearModelTokenPricing.populateTransaction(target.modelId, tokenAddress(chain, target.token));
    txs.push({
      kind: "clear-price",
      key: `${options.key}:${address}:clear:${target.modelId}:${target.token}`,
      description: `clear the ${target.token.toUpperCase()} price of ${target.model}`,
      to: chain.network.contracts.nodeRegistry,
      data,
      phase: options.phase,
      gasGuess: GAS_GUESS.clearPrice,
    });
  }
  return txs;
}
