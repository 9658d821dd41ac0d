/**
 * Prices per model × token: show (chain and config side by side, with the contract's bounds), set (converted
 * exactly, checked against the bounds read from the contract, written to the chain and then the config) and clear.
 * People price USDC in dollars per million tokens and ETH in ETH per thousand tokens (see price-units.ts).
 */
import type { RecoveryOutcome } from "../../chain/index.ts";
import type { HostContext } from "../../context.ts";
import { updateConfig } from "../../config/store.ts";
import { HostError } from "../../errors/host-error.ts";
import { HostErrors } from "../../errors/codes/host.ts";
import type { HostSession } from "../operation/connect.ts";
import { carryOut, type OperationHooks, type SentTx } from "../operation/execute.ts";
import { modelIdFromInput, namesForIds, readRegistryModel, type ModelRefId } from "../models/registry.ts";
import { makePlan, withHostSession, type SessionOptions } from "../operation/plan.ts";
import { clearSteps, priceSteps, type PriceTarget } from "./steps.ts";
import { assertWithinBounds, parsePrice, PRICE_TOKENS, readPriceBounds, readPriceTable } from "./prices.ts";
import type { PriceToken } from "./units.ts";
import { readRegistration, requireRegistered } from "../registration/registration.ts";
import type { OperationPlan } from "../operation/tx-plan.ts";

export interface PricingChangeResult {
  address: string;
  /** The models priced (or cleared). */
  models: ModelRefId[];
  changes: PriceTarget[];
  plan: OperationPlan;
  sent: SentTx[];
  recovered: RecoveryOutcome[];
  unchanged: boolean;
}

export interface PricingSetInput extends SessionOptions {
  /** repo:file or a model id; all served models when absent. */
  model?: string;
  /** Dollars per million tokens. */
  usdc?: string;
  /** ETH per thousand tokens. */
  eth?: string;
}

export async function setPricing(context: HostContext, input: PricingSetInput, hooks: OperationHooks): Promise<PricingChangeResult> {
  const wanted: Array<[PriceToken, bigint]> = [];
  if (input.usdc !== undefined) wanted.push(["usdc", parsePrice("usdc", input.usdc)]);
  if (input.eth !== undefined) wanted.push(["eth", parsePrice("eth", input.eth)]);
  if (wanted.length === 0) {
    throw new HostError(HostErrors.NOTHING_REQUESTED, "Give a price: --usdc (USD per million tokens) and/or --eth (ETH per thousand tokens).", {
      hint: "Try: fabstir-host pricing set --usdc 5 --eth 0.000002",
    });
  }
  return withHostSession(context, input, hooks, async (session, recovered) => {
    const { chain, address } = session;
    const bounds = await readPriceBounds(chain);
    for (const [token, price] of wanted) assertWithinBounds(token, price, bounds[token], `--${token}`);
    const models = await targetModels(session, input.model);
    const current = await readPriceTable(
      chain,
      address,
      models.map((m) => m.id),
    );
    const targets = models.flatMap((m) =>
      wanted.map(([token, price]) => ({ model: m.ref, modelId: m.id, token, price, onChain: current.get(m.id)?.[token] ?? 0n })),
    );
    const txs = await priceSteps(chain, address, targets, { key: "pricing", phase: 0 });
    const plan = await makePlan(session, { action: "pricing set", txs });
    const sent = await carryOut(context, session, plan, hooks);
    await updateConfig(
      context,
      (config) => {
        const key = input.model ? models[0]!.ref : "*";
        for (const [token, price] of wanted) {
          // "All models" means all: per-model entries for this token would otherwise keep overriding the default.
          if (!input.model) for (const entry of Object.values(config.prices)) delete entry[token];
          config.prices[key] = { ...config.prices[key], [token]: price.toString() };
        }
        for (const [name, entry] of Object.entries(config.prices)) if (Object.keys(entry).length === 0) delete config.prices[name];
      },
      { reason: "pricing" },
    );
    return { address, models, changes: targets.filter((t) => t.onChain !== t.price), plan, sent, recovered, unchanged: txs.length === 0 };
  });
}

export interface PricingClearInput extends SessionOptions {
  model?: string;
  /** One token, or both when absent. */
  token?: PriceToken;
}

export async function clearPricing(context: HostContext, input: PricingClearInput, hooks: OperationHooks): Promise<PricingChangeResult> {
  return withHostSession(context, input, hooks, async (session, recovered) => {
    const { chain, address, config } = session;
    const models = await targetModels(session, input.model);
    const tokens = input.token ? [input.token] : [...PRICE_TOKENS];
    const current = await readPriceTable(
      chain,
      address,
      models.map((m) => m.id),
    );
    const targets = models.flatMap((m) =>
      tokens.map((token) => ({ model: m.ref, modelId: m.id, token, price: 0n, onChain: current.get(m.id)?.[token] ?? 0n })),
    );
    const txs = await clearSteps(chain, address, targets, { key: "pricing", phase: 0 });
    const warnings =
      txs.length > 0 ? ["Sessions for a model and token without a price revert: clients cannot use these pairs until they are priced again."] : [];
    const notes =
      config.prices["*"] && tokens.some((t) => config.prices["*"]?.[t])
        ? ['The config still holds a default price (prices["*"]): `fabstir-host register` would set it again.']
        : [];
    const plan = await makePlan(session, { action: "pricing clear", txs, warnings, notes });
    const sent = await carryOut(context, session, plan, hooks);
    if (input.model) {
      await updateConfig(
        context,
        (c) => {
          const entry = c.prices[models[0]!.ref];
          if (!entry) return;
          for (const token of tokens) delete entry[token];
          if (Object.keys(entry).length === 0) delete c.prices[models[0]!.ref];
        },
        { reason: "pricing" },
      );
    }
    return { address, models, changes: targets.filter((t) => t.onChain !== 0n), plan, sent, recovered, unchanged: txs.length === 0 };
  });
}

/** The one model asked for (it must be served on chain), or every model the host serves on chain. */
async function targetModels(session: HostSession, input: string | undefined): Promise<ModelRefId[]> {
  const { chain, address } = session;
  const registration = await readRegistration(chain, address);
  requireRegistered(registration, chain);
  if (input === undefined) return [...(await namesForIds(chain, registration.models))].map(([id, ref]) => ({ id, ref }));
  const { id } = modelIdFromInput(input);
  const model = await readRegistryModel(chain, id);
  if (!model) throw new HostError(HostErrors.MODEL_UNKNOWN, `${input} is not in the ModelRegistry of ${chain.network.label}. Nothing was sent.`);
  if (!registration.models.includes(id)) {
    throw new HostError(HostErrors.MODEL_NOT_SERVED, `This host does not serve ${model.ref} on chain, so it cannot be priced. Nothing was sent.`, {
      hint: `Try: fabstir-host update models <every model to serve, including ${model.ref}>`,
    });
  }
  return [{ id, ref: model.ref }];
}
