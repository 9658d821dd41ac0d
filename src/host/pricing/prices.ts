/**
 * Which price a host wants for a (model, token) pair, what the contract allows, and what the chain holds.
 *
 * The config keeps prices in contract units: `prices["<repo:file>"].eth|usdc`, else `prices["*"]`, else the built-in
 * defaults ($5 per million tokens in USDC, 0.000002 ETH per thousand tokens). The bounds are read from the
 * NodeRegistry itself (MIN/MAX_PRICE_PER_TOKEN_*), so a network that changes them is followed without a release.
 */
import { NATIVE_TOKEN, type ChainClient } from "../../chain/index.ts";
import type { HostConfig } from "../../config/types.ts";
import { HostError } from "../../errors/host-error.ts";
import { HostErrors } from "../../errors/codes/host.ts";
import { checkBounds, fromContractPrice, HUMAN_UNIT, PriceFormatError, toContractPrice, type PriceBounds, type PriceToken } from "./units.ts";

export const PRICE_TOKENS: readonly PriceToken[] = ["eth", "usdc"];

/** $5 per million tokens; 0.000002 ETH per thousand tokens (both in contract units). */
export const BUILTIN_PRICES: Record<PriceToken, bigint> = {
  usdc: toContractPrice("usdc", "5"),
  eth: toContractPrice("eth", "0.000002"),
};

export type PriceSource = "model" | "default" | "builtin";

export interface WantedPrice {
  price: bigint;
  /** Where it came from: the model's own entry, `prices["*"]`, or the built-in default. */
  source: PriceSource;
}

export function wantedPrice(config: Pick<HostConfig, "prices">, modelRef: string, token: PriceToken): WantedPrice {
  const own = config.prices[modelRef]?.[token];
  if (own !== undefined) return { price: BigInt(own), source: "model" };
  const all = config.prices["*"]?.[token];
  if (all !== undefined) return { price: BigInt(all), source: "default" };
  return { price: BUILTIN_PRICES[token], source: "builtin" };
}

/** The payment token's address in pricing calls: 0x0 for ETH, the network's USDC. */
export function tokenAddress(chain: ChainClient, token: PriceToken): string {
  return token === "eth" ? NATIVE_TOKEN : chain.network.contracts.usdcToken;
}

export async function readPriceBounds(chain: ChainClient): Promise<Record<PriceToken, PriceBounds>> {
  const registry = chain.contracts.nodeRegistry;
  const [minEth, maxEth, minUsdc, maxUsdc] = await Promise.all([
    registry.MIN_PRICE_PER_TOKEN_NATIVE(),
    registry.MAX_PRICE_PER_TOKEN_NATIVE(),
    registry.MIN_PRICE_PER_TOKEN_STABLE(),
    registry.MAX_PRICE_PER_TOKEN_STABLE(),
  ]);
  return { eth: { min: minEth, max: maxEth }, usdc: { min: minUsdc, max: maxUsdc } };
}

/** Human input ("5", "0.000002") → contract units, or PRICE_INVALID naming the flag. */
export function parsePrice(token: PriceToken, text: string, flag = `--${token}`): bigint {
  try {
    return toContractPrice(token, text);
  } catch (error) {
    if (!(error instanceof PriceFormatError)) throw error;
    throw new HostError(HostErrors.PRICE_INVALID, `${flag}: ${error.message}.`, { cause: error });
  }
}

/** PRICE_OUT_OF_BOUNDS for a price the contract would refuse; `what` names it ("--usdc", "prices[\"*\"].eth" …). */
export function assertWithinBounds(token: PriceToken, price: bigint, bounds: PriceBounds, what: string): void {
  const problem = checkBounds(token, price, bounds);
  if (!problem) return;
  throw new HostError(HostErrors.PRICE_OUT_OF_BOUNDS, `${what}: ${problem}. Nothing was sent.`, {
    details: { token, price: price.toString(), min: bounds.min.toString(), max: bounds.max.toString() },
    hint: `Try: a price between ${fromContractPrice(token, bounds.min)} and ${fromContractPrice(token, bounds.max)} ${HUMAN_UNIT[token]}.`,
  });
}

/**
 * The price the chain holds for one pair; 0 when none is set. (The registry reverts "No model pricing" for an unset
 * pair rather than answering 0; prices survive unregistering and model changes, so this also finds old ones.)
 */
export async function readModelPrice(chain: ChainClient, host: string, modelId: string, token: PriceToken): Promise<bigint> {
  try {
    return await chain.contracts.nodeRegistry.getModelPricing(host, modelId, tokenAddress(chain, token));
  } catch (error) {
    if (isCallRevert(error)) return 0n;
    throw error;
  }
}

export type PriceTable = Map<string, Record<PriceToken, bigint>>;

/** The chain's prices for these models and both tokens, by model id (0 = not set). */
export async function readPriceTable(chain: ChainClient, host: string, modelIds: readonly string[]): Promise<PriceTable> {
  const rows = await Promise.all(
    modelIds.map(async (id) => {
      const [eth, usdc] = await Promise.all(PRICE_TOKENS.map((token) => readModelPrice(chain, host, id, token)));
      return [id.toLowerCase(), { eth: eth!, usdc: usdc! }] as const;
    }),
  );
  return new Map(rows);
}

/** A reverted eth_call (as opposed to an RPC outage, which must not read as "no price"). */
function isCallRevert(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "CALL_EXCEPTION";
}
