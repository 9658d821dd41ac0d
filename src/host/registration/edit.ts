/**
 * Changes to a live registration: the API URL, the served models (and a price for every new one, in the same run:
 * a model without a price for a token makes every session for it revert), and the metadata (merged into what the
 * chain holds, hardware refreshed, publicKey always kept). Each also updates the config, after the chain.
 */
import { keccak256, toUtf8Bytes } from "ethers";
import type { RecoveryOutcome } from "../../chain/index.ts";
import type { HostContext } from "../../context.ts";
import { updateConfig } from "../../config/store.ts";
import { carryOut, type OperationHooks, type SentTx } from "../operation/execute.ts";
import { detectHardware } from "./hardware.ts";
import { mergeMetadata, parseMetadata, serializeMetadata, type Metadata } from "./metadata.ts";
import { resolveApprovedModels, type ModelRefId } from "../models/registry.ts";
import { makePlan, withHostSession, type SessionOptions } from "../operation/plan.ts";
import { priceSteps, type PriceTarget } from "../pricing/steps.ts";
import { assertWithinBounds, PRICE_TOKENS, readPriceBounds, readPriceTable, wantedPrice } from "../pricing/prices.ts";
import { readRegistration, requireRegistered } from "./registration.ts";
import { GAS_GUESS, type OperationPlan, type PlannedTx } from "../operation/tx-plan.ts";
import { checkUrlAnswers, normalizePublicUrl } from "./url-check.ts";
import { requireServed } from "./served.ts";

export interface UpdateResult {
  address: string;
  plan: OperationPlan;
  sent: SentTx[];
  recovered: RecoveryOutcome[];
  /** True when the chain already held what was asked for. */
  unchanged: boolean;
}

export async function updateUrl(
  context: HostContext,
  input: SessionOptions & { url: string; check: boolean },
  hooks: OperationHooks,
): Promise<UpdateResult & { url: string; previous: string; answered: number | null }> {
  const url = normalizePublicUrl(input.url);
  const answer = input.check ? await checkUrlAnswers(context.fetch, url) : null;
  return withHostSession(context, input, hooks, async (session, recovered) => {
    const { chain, address } = session;
    const registration = await readRegistration(chain, address);
    requireRegistered(registration, chain);
    const txs: PlannedTx[] = [];
    if (registration.apiUrl !== url) {
      const { data } = await chain.contracts.nodeRegistry.updateApiUrl.populateTransaction(url);
      txs.push({
        kind: "update-url",
        key: `update:${address}:url:${url}`,
        description: `publish the API URL ${url} (was ${registration.apiUrl})`,
        to: chain.network.contracts.nodeRegistry,
        data,
        phase: 0,
        gasGuess: GAS_GUESS.updateUrl,
      });
    }
    const plan = await makePlan(session, { action: "update url", txs });
    const sent = await carryOut(context, session, plan, hooks);
    await updateConfig(context, (config) => void (config.publicUrl = url), { reason: "update-url" });
    return { address, url, previous: registration.apiUrl, answered: answer?.status ?? null, plan, sent, recovered, unchanged: txs.length === 0 };
  });
}

export interface UpdateModelsResult extends UpdateResult {
  models: ModelRefId[];
  /** repo:file of the models this run added. */
  added: string[];
  /** Ids no longer served. */
  removed: string[];
  /** The prices this run set. */
  prices: PriceTarget[];
}

export async function updateModels(
  context: HostContext,
  input: SessionOptions & { models: string[]; allowUnserved?: boolean },
  hooks: OperationHooks,
): Promise<UpdateModelsResult> {
  return withHostSession(context, input, hooks, async (session, recovered) => {
    const { chain, address, config } = session;
    const [registration, resolved, bounds] = await Promise.all([
      readRegistration(chain, address),
      resolveApprovedModels(chain, input.models),
      readPriceBounds(chain),
    ]);
    requireRegistered(registration, chain);
    const models = resolved.map(({ ref, id }) => ({ ref, id }));
    const ids = models.map((m) => m.id);
    const added = models.filter((m) => !registration.models.includes(m.id));
    const removed = registration.models.filter((id) => !ids.includes(id));
    // Models put on chain now must have a node to serve them (src/host/registration/served.ts).
    const warnings = await requireServed(
      context,
      config,
      added.map((m) => m.ref),
      input.allowUnserved === true,
    );
    const current = await readPriceTable(chain, address, ids);
    // New models get the configured price; models already served only get one when they have none at all.
    const prices: PriceTarget[] = [];
    for (const model of models) {
      for (const token of PRICE_TOKENS) {
        const onChain = current.get(model.id)?.[token] ?? 0n;
        const isNew = added.includes(model);
        if (!isNew && onChain !== 0n) continue;
        const wanted = wantedPrice(config, model.ref, token);
        assertWithinBounds(token, wanted.price, bounds[token], `The ${token.toUpperCase()} price of ${model.ref}`);
        prices.push({ model: model.ref, modelId: model.id, token, price: wanted.price, onChain });
      }
    }
    const txs: PlannedTx[] = [];
    const sameSet = added.length === 0 && removed.length === 0 && ids.length === registration.models.length;
    if (!sameSet) {
      const { data } = await chain.contracts.nodeRegistry.updateSupportedModels.populateTransaction(ids);
      txs.push({
        kind: "update-models",
        key: `update:${address}:models:${keccak256(toUtf8Bytes(ids.join(",")))}`,
        description: `serve ${models.length} model${models.length === 1 ? "" : "s"}: ${models.map((m) => m.ref).join(", ")}`,
        to: chain.network.contracts.nodeRegistry,
        data,
        phase: 0,
        gasGuess: GAS_GUESS.updateModelsBase + GAS_GUESS.updateModelsPerModel * BigInt(ids.length),
      });
    }
    txs.push(...(await priceSteps(chain, address, prices, { key: "update", phase: 1 })));
    const notes =
      removed.length > 0 ? [`No longer served: ${removed.length} model${removed.length === 1 ? "" : "s"} (their prices stay on chain, unused).`] : [];
    const plan = await makePlan(session, { action: "update models", txs, notes, warnings });
    const sent = await carryOut(context, session, plan, hooks);
    await updateConfig(context, (c) => void (c.models = models.map((m) => m.ref)), { reason: "update-models" });
    return {
      address,
      models,
      added: added.map((m) => m.ref),
      removed,
      prices: prices.filter((p) => p.onChain !== p.price),
      plan,
      sent,
      recovered,
      unchanged: txs.length === 0,
    };
  });
}

export interface MetadataInput extends SessionOptions {
  location?: string;
  maxConcurrent?: number;
  set?: string[];
}

export async function updateMetadata(
  context: HostContext,
  input: MetadataInput,
  hooks: OperationHooks,
): Promise<UpdateResult & { metadata: Metadata; previous: Metadata }> {
  return withHostSession(context, input, hooks, async (session, recovered) => {
    const { chain, address } = session;
    const registration = await readRegistration(chain, address);
    requireRegistered(registration, chain);
    const current = parseMetadata(registration.metadata);
    const publicKey = await session.wallet.requirePublicKey();
    const metadata = mergeMetadata(current.value, {
      hardware: await detectHardware(context),
      publicKey,
      location: input.location,
      maxConcurrent: input.maxConcurrent,
      set: input.set,
    });
    const text = serializeMetadata(metadata);
    const warnings: string[] = [];
    if (!current.valid) warnings.push("The metadata on chain is not a JSON object; it is replaced as a whole.");
    else if (current.value.publicKey !== publicKey)
      warnings.push("The metadata on chain lacks this host's publicKey (clients cannot encrypt sessions to it); it is put back.");
    const txs: PlannedTx[] = [];
    if (text !== registration.metadata) {
      const { data } = await chain.contracts.nodeRegistry.updateMetadata.populateTransaction(text);
      txs.push({
        kind: "update-metadata",
        key: `update:${address}:metadata:${keccak256(toUtf8Bytes(text))}`,
        description: `publish the metadata ${text}`,
        to: chain.network.contracts.nodeRegistry,
        data,
        phase: 0,
        gasGuess: GAS_GUESS.updateMetadata,
      });
    }
    const plan = await makePlan(session, { action: "update metadata", txs, warnings });
    const sent = await carryOut(context, session, plan, hooks);
    if (input.location !== undefined || input.maxConcurrent !== undefined) {
      await updateConfig(
        context,
        (config) => {
          if (input.location !== undefined) config.host.location = input.location;
          if (input.maxConcurrent !== undefined) config.host.maxConcurrent = input.maxConcurrent;
        },
        { reason: "update-metadata" },
      );
    }
    return { address, metadata, previous: current.value, plan, sent, recovered, unchanged: txs.length === 0 };
  });
}
