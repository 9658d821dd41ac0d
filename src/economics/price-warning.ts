/**
 * `pricing set`'s warning before it sends: each requested price compared with the break-even price at the current fees
 * (the same figures `pricing check` shows). Advisory only: any error here (no chain, a price that does not parse) is
 * left to `pricing set` itself to report, so the warning never changes what the command does.
 */
import type { HostContext } from "../context.ts";
import { loadLedger } from "../host/ledger/store.ts";
import { parsePrice } from "../host/pricing/prices.ts";
import type { PriceToken } from "../host/pricing/units.ts";
import { withReader } from "../host/operation/reader.ts";
import { belowBreakEvenWarnings, breakEvenRows } from "./break-even.ts";
import { readCostBasis } from "./cost-basis.ts";
import { loadGasLedger } from "./gas-store.ts";

export async function breakEvenWarnings(context: HostContext, input: { model?: string; usdc?: string; eth?: string }): Promise<string[]> {
  try {
    const wanted: Array<[PriceToken, bigint]> = [];
    if (input.usdc !== undefined) wanted.push(["usdc", parsePrice("usdc", input.usdc)]);
    if (input.eth !== undefined) wanted.push(["eth", parsePrice("eth", input.eth)]);
    if (wanted.length === 0) return [];
    return await withReader(context, async ({ chain, address, config }) => {
      const network = chain.network;
      const basis = await readCostBasis({
        rpc: chain.provider,
        jobMarketplace: network.contracts.jobMarketplace,
        gas: address ? loadGasLedger(context.paths.stateDir, network.chainId, address) : null,
        ledger: address ? loadLedger(context.paths.stateDir, { chainId: network.chainId, host: address, contracts: network.contracts }) : null,
      });
      const model = input.model ?? "every model";
      const rows = breakEvenRows(
        wanted.map(([token, price]) => ({ model, modelId: model, token, price })),
        basis,
        config.economics?.ethUsd ?? null,
      );
      return belowBreakEvenWarnings(rows);
    });
  } catch {
    return [];
  }
}
