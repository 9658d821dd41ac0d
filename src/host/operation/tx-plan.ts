/**
 * A host operation as a list of transactions computed from chain state, shown (with a gas cost estimate) before
 * anything is signed. Each transaction carries an idempotency key, so a run that stops midway (Ctrl-C, a crash, an RPC
 * outage, a revert) is finished by running the same command again: the plan is recomputed from the chain, steps
 * already done drop out, and a step in flight is resumed by the sender instead of being sent twice.
 */
import { gweiToWei, type ChainClient } from "../../chain/index.ts";
import type { HostConfig } from "../../config/types.ts";

export type StepKind = "approve" | "register" | "price" | "clear-price" | "update-url" | "update-models" | "update-metadata" | "stake" | "unregister";

export interface PlannedTx {
  kind: StepKind;
  /** Idempotency key, e.g. `register:<address>:approve`; see intentKeyFor for reuse across cycles. */
  key: string;
  /** For people: "approve 1000 FAB for the stake". */
  description: string;
  to: string;
  data: string;
  /** Transactions of one phase do not depend on each other and are sent together; phases run in order. */
  phase: number;
  /** Gas this kind of call takes on the live contracts, with room to spare (later steps cannot be simulated yet). */
  gasGuess: bigint;
}

/**
 * Gas per call, from the devnet contracts measured and rounded up by about half for the live (proxied, richer)
 * contracts: approve 46k, registerNode 625k with two models, setModelTokenPricing 56k, updateMetadata 59k,
 * updateApiUrl 32k, updateSupportedModels 63k, clearModelTokenPricing 27k, stake 49k, unregisterNode 126k.
 */
export const GAS_GUESS = {
  approve: 70_000n,
  registerBase: 700_000n,
  registerPerModel: 120_000n,
  price: 90_000n,
  clearPrice: 45_000n,
  updateUrl: 60_000n,
  updateMetadata: 120_000n,
  updateModelsBase: 90_000n,
  updateModelsPerModel: 50_000n,
  stake: 80_000n,
  unregister: 200_000n,
} as const;

export interface GasEstimate {
  gasUnits: bigint;
  /** Fee per gas assumed: the network's current max fee, never above `tx.maxFeeGwei`. */
  maxFeePerGasWei: bigint;
  /** gasUnits × maxFeePerGas plus the configured margin: what the host must hold in ETH. */
  costWei: bigint;
}

export async function estimateGasCost(chain: ChainClient, config: Pick<HostConfig, "tx">, txs: readonly PlannedTx[]): Promise<GasEstimate> {
  const gasUnits = txs.reduce((sum, tx) => sum + tx.gasGuess, 0n);
  if (gasUnits === 0n) return { gasUnits, maxFeePerGasWei: 0n, costWei: 0n };
  const fees = await chain.provider.getFeeData();
  const market = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
  const cap = gweiToWei(config.tx.maxFeeGwei);
  const maxFeePerGasWei = market > cap ? cap : market;
  const margin = BigInt(100 + Math.max(0, Math.round(config.tx.gasMarginPercent)));
  return { gasUnits, maxFeePerGasWei, costWei: (gasUnits * maxFeePerGasWei * margin) / 100n };
}

/** What every command shows before it sends, and what --json reports. */
export interface OperationPlan {
  /** "register", "update url", "pricing set" … */
  action: string;
  address: string;
  network: { name: string; label: string; chainId: number };
  txs: PlannedTx[];
  gas: GasEstimate;
  /** Facts worth reading before saying yes (prices, the URL, the stake returned …). */
  notes: string[];
  warnings: string[];
}

export function networkOf(chain: ChainClient): OperationPlan["network"] {
  return { name: chain.network.name, label: chain.network.label, chainId: chain.network.chainId };
}
