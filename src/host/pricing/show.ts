/** `pricing show`: per model × token, the chain's price and the config's, in people's units and contract units. */
import type { HostContext } from "../../context.ts";
import { modelIdFromInput, namesForIds } from "../models/registry.ts";
import { PRICE_TOKENS, readPriceBounds, readPriceTable, wantedPrice, type PriceSource } from "./prices.ts";
import { fromContractPrice, HUMAN_UNIT, type PriceBounds, type PriceToken } from "./units.ts";
import { withReader } from "../operation/reader.ts";
import { readRegistration } from "../registration/registration.ts";

export interface PricingRow {
  model: string;
  modelId: string;
  token: PriceToken;
  /** Served on chain (registered with this model); null when the chain was not read. */
  served: boolean | null;
  /** Contract units on chain; 0 = no price (sessions for this pair revert); null when the chain was not read. */
  onChain: bigint | null;
  onChainHuman: string | null;
  /** What the config asks for, and where that comes from. */
  configured: bigint;
  configuredHuman: string;
  configuredFrom: PriceSource;
  unit: string;
}

export interface PricingView {
  /** "chain": the chain's prices beside the config's; "config": the config alone (--offline), nothing on chain known. */
  source: "chain" | "config";
  address: string | null;
  /** null when the chain was not read. */
  registered: boolean | null;
  network: string;
  /** The contract's bounds; null when the chain was not read. */
  bounds: Record<PriceToken, PriceBounds & { minHuman: string; maxHuman: string; unit: string }> | null;
  rows: PricingRow[];
  /** Served model × token pairs without a price on chain; null when the chain was not read. */
  missing: number | null;
}

export async function showPricing(context: HostContext, options: { model?: string } = {}): Promise<PricingView> {
  return withReader(context, async ({ config, chain, address }) => {
    const registration = address ? await readRegistration(chain, address) : null;
    const served = registration?.registered ? registration.models : [];
    const configured = config.models.map((text) => modelIdFromInput(text).id);
    let ids = [...new Set([...served, ...configured])];
    if (options.model) ids = [modelIdFromInput(options.model).id];
    const [names, bounds, table] = await Promise.all([
      namesForIds(chain, ids),
      readPriceBounds(chain),
      address ? readPriceTable(chain, address, ids) : Promise.resolve(new Map()),
    ]);
    const rows: PricingRow[] = ids.flatMap((id) =>
      PRICE_TOKENS.map((token) => {
        const model = names.get(id) ?? id;
        const onChain: bigint = table.get(id)?.[token] ?? 0n;
        const want = wantedPrice(config, model, token);
        return {
          model,
          modelId: id,
          token,
          served: served.includes(id),
          onChain,
          onChainHuman: onChain > 0n ? fromContractPrice(token, onChain) : null,
          configured: want.price,
          configuredHuman: fromContractPrice(token, want.price),
          configuredFrom: want.source,
          unit: HUMAN_UNIT[token],
        };
      }),
    );
    const withHuman = (token: PriceToken) => ({
      ...bounds[token],
      minHuman: fromContractPrice(token, bounds[token].min),
      maxHuman: fromContractPrice(token, bounds[token].max),
      unit: HUMAN_UNIT[token],
    });
    return {
      source: "chain",
      address,
      registered: registration?.registered ?? false,
      network: chain.network.label,
      bounds: { eth: withHuman("eth"), usdc: withHuman("usdc") },
      rows,
      missing: rows.filter((r) => r.served && r.onChain === 0n).length,
    };
  });
}
