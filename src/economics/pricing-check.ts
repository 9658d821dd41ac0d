/**
 * `pricing check` and the doctor's "economics" check: this host's on-chain prices (served models × ETH and USDC)
 * beside break-even prices at the current fees. Reads the chain (prices, base fee, recent sessions' intervals) and
 * the cached ledgers on disk; sends nothing.
 */
import type { ChainClient } from "../chain/client.ts";
import { loadLedger } from "../host/ledger/store.ts";
import { modelIdFromInput, namesForIds } from "../host/models/registry.ts";
import { PRICE_TOKENS, readPriceTable } from "../host/pricing/prices.ts";
import { readRegistration } from "../host/registration/registration.ts";
import { belowBreakEvenWarnings, breakEvenRows, type BreakEvenRow, type CostBasis, type PriceInput } from "./break-even.ts";
import { readCostBasis } from "./cost-basis.ts";
import { loadGasLedger } from "./gas-store.ts";

export interface PricingCheckReport {
  address: string;
  network: string;
  registered: boolean;
  ethUsd: number | null;
  basis: CostBasis;
  rows: BreakEvenRow[];
  /** One line per price below break-even. */
  warnings: string[];
  /** Said when USDC prices could not be compared with gas. */
  notes: string[];
}

export interface PricingCheckOptions {
  chain: ChainClient;
  address: string;
  stateDir: string;
  ethUsd: number | null;
  /** Only this model (repo:file or id). */
  model?: string;
}

export async function pricingCheck(options: PricingCheckOptions): Promise<PricingCheckReport> {
  const { chain, address } = options;
  const network = chain.network;
  const registration = await readRegistration(chain, address);
  const ids = options.model ? [modelIdFromInput(options.model).id] : registration.registered ? registration.models.map((m) => m.toLowerCase()) : [];
  const ledger = loadLedger(options.stateDir, { chainId: network.chainId, host: address, contracts: network.contracts });
  const [names, table, basis] = await Promise.all([
    namesForIds(chain, ids),
    readPriceTable(chain, address, ids),
    readCostBasis({
      rpc: chain.provider,
      jobMarketplace: network.contracts.jobMarketplace,
      gas: loadGasLedger(options.stateDir, network.chainId, address),
      ledger,
    }),
  ]);
  const prices: PriceInput[] = ids.flatMap((id) =>
    PRICE_TOKENS.flatMap((token) => {
      const price = table.get(id)?.[token] ?? 0n;
      return price > 0n ? [{ model: names.get(id) ?? id, modelId: id, token, price }] : [];
    }),
  );
  const rows = breakEvenRows(prices, basis, options.ethUsd);
  const notes: string[] = [];
  if (options.ethUsd === null && prices.some((p) => p.token === "usdc"))
    notes.push("USDC prices are not compared with gas (paid in ETH): set economics.ethUsd to compare them.");
  if (basis.proof.source === "estimate")
    notes.push(`No proof of this host in the gas ledger yet: a proof is taken as ${basis.proof.gas} gas (run \`fabstir-host earnings\` to fill the ledger).`);
  return {
    address,
    network: network.label,
    registered: registration.registered,
    ethUsd: options.ethUsd,
    basis,
    rows,
    warnings: belowBreakEvenWarnings(rows),
    notes,
  };
}
