/**
 * `pricing show --offline`: what the config asks for, per configured model and token, from the config alone. Nothing
 * is read from the chain (no RPC is needed, and none is contacted), so whether a model is served, its price on chain and
 * the contract's bounds are unknown and say so (null).
 */
import type { HostContext } from "../../context.ts";
import { loadConfig } from "../../config/store.ts";
import { resolveNetwork } from "../../chain/networks.ts";
import { modelIdFromInput } from "../models/registry.ts";
import { PRICE_TOKENS, wantedPrice } from "./prices.ts";
import { fromContractPrice, HUMAN_UNIT } from "./units.ts";
import type { PricingRow, PricingView } from "./show.ts";

export async function configuredPricing(context: Pick<HostContext, "paths" | "env">, options: { model?: string } = {}): Promise<PricingView> {
  const { config } = await loadConfig(context, { requireFile: true });
  const models = options.model ? [options.model] : config.models;
  const rows: PricingRow[] = models.flatMap((text) => {
    const { id, ref } = modelIdFromInput(text);
    const model = ref ?? id;
    return PRICE_TOKENS.map((token) => {
      const want = wantedPrice(config, model, token);
      return {
        model,
        modelId: id,
        token,
        served: null,
        onChain: null,
        onChainHuman: null,
        configured: want.price,
        configuredHuman: fromContractPrice(token, want.price),
        configuredFrom: want.source,
        unit: HUMAN_UNIT[token],
      };
    });
  });
  return {
    source: "config",
    address: config.wallet?.address ?? null,
    registered: null,
    network: resolveNetwork(config).label,
    bounds: null,
    rows,
    missing: null,
  };
}
