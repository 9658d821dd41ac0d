/**
 * `market`: for each model this host serves (or one asked for), the active hosts that serve it and their prices per
 * token, where this host's price ranks (1 = cheapest), and the break-even price beside them. Every read of one stage
 * is issued in the same tick, so the pooled provider sends them as one JSON-RPC batch (src/chain/rpc/provider.ts):
 * the host lists, then every host's info and prices. The answer is cached on disk for a minute (market-cache.ts).
 *
 * getNodesForModel(bytes32) → address[] (fabstir-compute-contracts@8edc68b src/NodeRegistryWithModelsUpgradeable.sol:237)
 * lists every host that registered the model; a host unregistered since may still be listed, so each is checked
 * for `active` in getNodeFullInfo.
 */
import { Contract } from "ethers";
import type { ChainClient } from "../chain/client.ts";
import { fromContractPrice, HUMAN_UNIT, type PriceToken } from "../host/pricing/units.ts";
import { loadLedger } from "../host/ledger/store.ts";
import { modelIdFromInput, namesForIds } from "../host/models/registry.ts";
import { PRICE_TOKENS, readModelPrice } from "../host/pricing/prices.ts";
import { readRegistration } from "../host/registration/registration.ts";
import { priceToEarn } from "./billing.ts";
import type { CostBasis } from "./break-even.ts";
import { readCostBasis } from "./cost-basis.ts";
import { loadGasLedger } from "./gas-store.ts";
import { weiToUsdc } from "./rates.ts";

const NODES_FOR_MODEL_ABI = ["function getNodesForModel(bytes32 modelId) view returns (address[])"];

export interface MarketHost {
  address: string;
  apiUrl: string;
  /** Contract units; null when this host has no price for the token (sessions for it revert). */
  prices: Record<PriceToken, string | null>;
  isThisHost: boolean;
}

export interface MarketTokenView {
  token: PriceToken;
  unit: string;
  /** Hosts with a price, cheapest first. */
  hostsPriced: number;
  lowest: string | null;
  median: string | null;
  highest: string | null;
  /** This host's rank among them (1 = cheapest; ties share a rank); null when it has no price. */
  rank: number | null;
  thisPrice: string | null;
  /** Lowest price at which a checkpoint at the smallest interval pays for its proof; null without an ETH/USD rate (USDC). */
  breakEven: string | null;
  /** Hosts priced below break-even. */
  belowBreakEven: number;
}

export interface MarketModel {
  model: string;
  modelId: string;
  hosts: MarketHost[];
  tokens: MarketTokenView[];
}

export interface MarketReport {
  address: string;
  network: string;
  ethUsd: number | null;
  basis: CostBasis;
  models: MarketModel[];
  /** Epoch ms when the chain was read (an answer from the cache is older than the command). */
  readAt: number;
  cached: boolean;
}

export interface MarketOptions {
  chain: ChainClient;
  address: string;
  stateDir: string;
  ethUsd: number | null;
  model?: string;
  now: number;
}

export async function readMarket(options: MarketOptions): Promise<MarketReport> {
  const { chain, address } = options;
  const network = chain.network;
  const ids = options.model ? [modelIdFromInput(options.model).id] : (await readRegistration(chain, address)).models.map((m) => m.toLowerCase());
  const registry = new Contract(network.contracts.nodeRegistry, NODES_FOR_MODEL_ABI, chain.provider);
  const [lists, names, basis] = await Promise.all([
    Promise.all(ids.map((id) => registry.getFunction("getNodesForModel")(id) as Promise<string[]>)),
    namesForIds(chain, ids),
    readCostBasis({
      rpc: chain.provider,
      jobMarketplace: network.contracts.jobMarketplace,
      gas: loadGasLedger(options.stateDir, network.chainId, address),
      ledger: loadLedger(options.stateDir, { chainId: network.chainId, host: address, contracts: network.contracts }),
    }),
  ]);
  const everyone = [...new Set(lists.flat().map((a) => a.toLowerCase()))];
  const [infos, prices] = await Promise.all([
    Promise.all(everyone.map((a) => chain.contracts.nodeRegistry.getNodeFullInfo(a))),
    Promise.all(ids.map((id, i) => Promise.all(lists[i]!.map((a) => Promise.all(PRICE_TOKENS.map((t) => readModelPrice(chain, a, id, t))))))),
  ]);
  const info = new Map(everyone.map((a, i) => [a, { active: Boolean(infos[i]![2]), apiUrl: String(infos[i]![4]) }]));
  const breakEven = breakEvenPrices(basis, options.ethUsd);

  const models = ids.map((id, i): MarketModel => {
    const hosts: MarketHost[] = lists[i]!.flatMap((a, j) => {
      const about = info.get(a.toLowerCase())!;
      if (!about.active) return [];
      const [eth, usdc] = prices[i]![j]!;
      const price = (p: bigint) => (p > 0n ? p.toString() : null);
      return [{ address: a, apiUrl: about.apiUrl, prices: { eth: price(eth!), usdc: price(usdc!) }, isThisHost: a.toLowerCase() === address.toLowerCase() }];
    });
    return { model: names.get(id) ?? id, modelId: id, hosts, tokens: PRICE_TOKENS.map((token) => tokenView(token, hosts, breakEven[token])) };
  });
  return { address, network: network.label, ethUsd: options.ethUsd, basis, models, readAt: options.now, cached: false };
}

/** Break-even per token at the smallest interval clients use (the costliest cadence). */
export function breakEvenPrices(basis: CostBasis, ethUsd: number | null): Record<PriceToken, bigint | null> {
  const interval = BigInt(Math.min(basis.intervals.sdkDefault, basis.intervals.smallestSeen ?? Infinity));
  const fee = BigInt(basis.feeBasisPoints);
  const usdcCost = weiToUsdc(BigInt(basis.proof.costWei), ethUsd);
  return { eth: priceToEarn(BigInt(basis.proof.costWei), interval, fee), usdc: usdcCost === null ? null : priceToEarn(usdcCost, interval, fee) };
}

export function tokenView(token: PriceToken, hosts: MarketHost[], breakEven: bigint | null): MarketTokenView {
  const priced = hosts.flatMap((h) => (h.prices[token] ? [BigInt(h.prices[token]!)] : [])).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mine = hosts.find((h) => h.isThisHost)?.prices[token] ?? null;
  const rank = mine === null ? null : priced.filter((p) => p < BigInt(mine)).length + 1;
  const pick = (i: number) => (priced.length > 0 ? priced[i]!.toString() : null);
  return {
    token,
    unit: HUMAN_UNIT[token],
    hostsPriced: priced.length,
    lowest: pick(0),
    median: pick(Math.floor((priced.length - 1) / 2)),
    highest: pick(priced.length - 1),
    rank,
    thisPrice: mine,
    breakEven: breakEven?.toString() ?? null,
    belowBreakEven: breakEven === null ? 0 : priced.filter((p) => p < breakEven).length,
  };
}

/** A contract price for people, or "-". */
export function humanPrice(token: PriceToken, price: string | null): string {
  return price === null ? "-" : fromContractPrice(token, BigInt(price));
}
