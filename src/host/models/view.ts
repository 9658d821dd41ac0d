/**
 * `models list|info`: the ModelRegistry's models (id, repo:file, SHA-256, tier, active), which of them this host
 * serves (in its config, and registered on chain) and its prices for them.
 */
import type { HostContext } from "../../context.ts";
import { HostError } from "../../errors/host-error.ts";
import { HostErrors } from "../../errors/codes/host.ts";
import { listRegistryModels, modelIdFromInput, readRegistryModel, type RegistryModel } from "./registry.ts";
import { PRICE_TOKENS, readPriceTable } from "../pricing/prices.ts";
import { fromContractPrice, type PriceToken } from "../pricing/units.ts";
import { withReader, type ChainReader } from "../operation/reader.ts";
import { readRegistration } from "../registration/registration.ts";

export interface ModelPriceView {
  /** Contract units; 0 = none. */
  price: bigint;
  human: string | null;
}

export interface ModelView extends RegistryModel {
  /** Listed in this host's config (`models`). */
  configured: boolean;
  /** Registered on chain for this host. */
  registered: boolean;
  prices: Record<PriceToken, ModelPriceView> | null;
}

export interface ModelList {
  network: string;
  address: string | null;
  models: ModelView[];
  /** Configured models the registry does not list (registering would refuse them). */
  unlisted: string[];
}

export async function listModels(context: HostContext): Promise<ModelList> {
  return withReader(context, async (reader) => {
    const models = await listRegistryModels(reader.chain);
    const views = await decorate(reader, models);
    const known = new Set(models.map((m) => m.id));
    const unlisted = reader.config.models.filter((text) => !known.has(modelIdFromInput(text).id));
    return { network: reader.chain.network.label, address: reader.address, models: views, unlisted };
  });
}

export async function modelInfo(context: HostContext, input: string): Promise<ModelView & { network: string }> {
  const { id } = modelIdFromInput(input);
  return withReader(context, async (reader) => {
    const model = await readRegistryModel(reader.chain, id);
    if (!model) {
      throw new HostError(HostErrors.MODEL_UNKNOWN, `${input} is not in the ModelRegistry of ${reader.chain.network.label}.`, { details: { id } });
    }
    const [view] = await decorate(reader, [model]);
    return { ...view!, network: reader.chain.network.label };
  });
}

async function decorate(reader: ChainReader, models: RegistryModel[]): Promise<ModelView[]> {
  const configured = new Set(reader.config.models.map((text) => modelIdFromInput(text).id));
  const registration = reader.address ? await readRegistration(reader.chain, reader.address) : null;
  const served = new Set(registration?.registered ? registration.models : []);
  const table =
    reader.address && served.size > 0
      ? await readPriceTable(
          reader.chain,
          reader.address,
          models.filter((m) => served.has(m.id)).map((m) => m.id),
        )
      : new Map();
  return models.map((model) => {
    const row = table.get(model.id);
    const prices = row
      ? (Object.fromEntries(
          PRICE_TOKENS.map((token) => [token, { price: row[token], human: row[token] > 0n ? fromContractPrice(token, row[token]) : null }]),
        ) as Record<PriceToken, ModelPriceView>)
      : null;
    return { ...model, configured: configured.has(model.id), registered: served.has(model.id), prices };
  });
}
