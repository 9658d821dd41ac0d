/**
 * Registration, resumable: requirements → approve FAB (only when the allowance is short) → registerNode → a price for
 * every model × {ETH, USDC}. The plan is computed from chain state on every run, so whatever an interrupted run did
 * is skipped and the rest is done; a host that is registered and fully priced is told so and nothing is sent.
 */
import type { RecoveryOutcome } from "../../chain/index.ts";
import type { HostContext } from "../../context.ts";
import { HostError } from "../../errors/host-error.ts";
import { HostErrors } from "../../errors/codes/host.ts";
import type { HostSession } from "../operation/connect.ts";
import { carryOut, type OperationHooks, type SentTx } from "../operation/execute.ts";
import { detectHardware } from "./hardware.ts";
import { buildMetadata, serializeMetadata, type Metadata } from "./metadata.ts";
import { namesForIds, resolveApprovedModels, type ModelRefId } from "../models/registry.ts";
import { assertWithinBounds, PRICE_TOKENS, readPriceBounds, readPriceTable, wantedPrice } from "../pricing/prices.ts";
import type { PriceToken } from "../pricing/units.ts";
import { priceSteps, type PriceTarget } from "../pricing/steps.ts";
import { readRegistration } from "./registration.ts";
import { makePlan, withHostSession } from "../operation/plan.ts";
import { formatAmount, readBalances } from "./requirements.ts";
import { GAS_GUESS, type OperationPlan, type PlannedTx } from "../operation/tx-plan.ts";
import { requireServed } from "./served.ts";

export interface RegisterOptions {
  passwordFile?: string;
  /** Register models no node would serve (missing file, no place in node.instances), with a warning (--yes). */
  allowUnserved?: boolean;
}

export interface RegisterResult {
  address: string;
  network: OperationPlan["network"];
  /** registered: this run registered the host · completed: it was registered, this run finished its prices · already-registered: nothing to do. */
  status: "registered" | "completed" | "already-registered";
  apiUrl: string;
  models: ModelRefId[];
  prices: PriceTarget[];
  metadata: Metadata;
  /** FAB base units staked after the run. */
  stake: bigint;
  /** The same, in FAB. */
  stakeFab: string;
  plan: OperationPlan;
  sent: SentTx[];
  /** Transactions of an earlier, interrupted run that were finished first. */
  recovered: RecoveryOutcome[];
}

export async function registerHost(context: HostContext, options: RegisterOptions, hooks: OperationHooks): Promise<RegisterResult> {
  return withHostSession(context, options, hooks, async (session, recovered) => {
    const planned = await planRegistration(context, session, options);
    const sent = await carryOut(context, session, planned.plan, hooks);
    const after = sent.length > 0 ? await readRegistration(session.chain, session.address) : planned.registration;
    const status = !planned.registration.registered ? "registered" : sent.length > 0 ? "completed" : "already-registered";
    return {
      address: session.address,
      network: planned.plan.network,
      status,
      apiUrl: planned.apiUrl,
      models: planned.models,
      prices: planned.prices,
      metadata: planned.metadata,
      stake: after.stake,
      stakeFab: formatAmount(after.stake, planned.fabDecimals),
      plan: planned.plan,
      sent,
      recovered,
    };
  });
}

interface RegistrationPlan {
  plan: OperationPlan;
  registration: Awaited<ReturnType<typeof readRegistration>>;
  apiUrl: string;
  models: ModelRefId[];
  prices: PriceTarget[];
  metadata: Metadata;
  fabDecimals: number;
}

export async function planRegistration(context: HostContext, session: HostSession, options: RegisterOptions = {}): Promise<RegistrationPlan> {
  const { config, chain, address } = session;
  if (!config.publicUrl) {
    throw new HostError(HostErrors.NO_PUBLIC_URL, "The config has no publicUrl: clients would not know where to reach this host. Nothing was sent.");
  }
  if (config.models.length === 0) {
    throw new HostError(HostErrors.NO_MODELS, "The config lists no models to serve; a host registers at least one. Nothing was sent.");
  }
  const [configured, bounds, registration, balances] = await Promise.all([
    resolveApprovedModels(chain, config.models),
    readPriceBounds(chain),
    readRegistration(chain, address),
    readBalances(chain, address),
  ]);
  // Registered: the models on chain are the ones to price (configured ones missing there need `update models`).
  const onChain = registration.registered ? [...(await namesForIds(chain, registration.models))].map(([id, ref]) => ({ id, ref })) : [];
  const models: ModelRefId[] = registration.registered ? onChain : configured.map(({ ref, id }) => ({ ref, id }));
  const wanted = models.flatMap((m) => PRICE_TOKENS.map((token) => ({ model: m.ref, modelId: m.id, token, ...wantedPrice(config, m.ref, token) })));
  for (const w of wanted)
    assertWithinBounds(w.token, w.price, bounds[w.token], `The ${w.token.toUpperCase()} price of ${w.model} (${sourceText(w.source, w.model)})`);

  const current = await readPriceTable(
    chain,
    address,
    models.map((m) => m.id),
  );
  const prices: PriceTarget[] = wanted.map((w) => ({
    model: w.model,
    modelId: w.modelId,
    token: w.token,
    price: w.price,
    onChain: current.get(w.modelId)?.[w.token] ?? 0n,
  }));
  const publicKey = await session.wallet.requirePublicKey();
  const metadata = buildMetadata({ hardware: await detectHardware(context), config, publicKey });
  const registry = chain.network.contracts.nodeRegistry;
  const txs: PlannedTx[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];

  if (!registration.registered) {
    // What goes on chain now must have a node to serve it.
    warnings.push(
      ...(await requireServed(
        context,
        config,
        models.map((m) => m.ref),
        options.allowUnserved === true,
      )),
    );
    if (balances.fabAllowance < balances.minStake) {
      const { data } = await chain.contracts.fabToken.approve.populateTransaction(registry, balances.minStake);
      txs.push({
        kind: "approve",
        key: `register:${address}:approve`,
        description: `approve ${formatAmount(balances.minStake, balances.fab.decimals)} FAB for the stake`,
        to: chain.network.contracts.fabToken,
        data,
        phase: 0,
        gasGuess: GAS_GUESS.approve,
      });
    }
    const ids = models.map((m) => m.id);
    const registerNode = chain.contracts.nodeRegistry.registerNode;
    const { data } = await registerNode.populateTransaction(serializeMetadata(metadata), config.publicUrl, ids, lowest(prices, "eth"), lowest(prices, "usdc"));
    txs.push({
      kind: "register",
      key: `register:${address}:register`,
      description: `register the host at ${config.publicUrl} with ${ids.length} model${ids.length === 1 ? "" : "s"}`,
      to: registry,
      data,
      phase: 1,
      gasGuess: GAS_GUESS.registerBase + GAS_GUESS.registerPerModel * BigInt(ids.length),
    });
    notes.push(`Stake: ${formatAmount(balances.minStake, balances.fab.decimals)} FAB (returned in full by \`fabstir-host unregister\`).`);
  } else {
    notes.push(`Already registered on ${chain.network.label} with a stake of ${formatAmount(registration.stake, balances.fab.decimals)} FAB.`);
    if (registration.apiUrl !== config.publicUrl)
      notes.push(
        `The URL on chain is ${registration.apiUrl}, the config says ${config.publicUrl}: run \`fabstir-host update url ${config.publicUrl}\` to publish it.`,
      );
    const missing = configured.filter((c) => !registration.models.includes(c.id)).map((c) => c.ref);
    if (missing.length > 0)
      notes.push(`Configured but not registered: ${missing.join(", ")}; run \`fabstir-host update models\` to add them (and price them).`);
  }
  txs.push(...(await priceSteps(chain, address, prices, { key: "register", phase: 2 })));

  const plan = await makePlan(session, { action: "register", txs, notes, warnings, balances, fab: registration.registered ? 0n : balances.minStake });
  return {
    plan,
    registration,
    fabDecimals: balances.fab.decimals,
    apiUrl: registration.registered ? registration.apiUrl : config.publicUrl,
    models,
    prices,
    metadata: registration.registered ? safeParse(registration.metadata) : metadata,
  };
}

/** The registration minimums: the lowest price this host asks for any model (the per-model prices are what counts). */
function lowest(prices: readonly PriceTarget[], token: PriceToken): bigint {
  return prices.filter((p) => p.token === token).reduce((min, p) => (p.price < min ? p.price : min), prices.find((p) => p.token === token)!.price);
}

function sourceText(source: string, model: string): string {
  if (source === "model") return `prices["${model}"] in the config`;
  if (source === "default") return `prices["*"] in the config`;
  return "the built-in default";
}

function safeParse(text: string): Metadata {
  try {
    return JSON.parse(text) as Metadata;
  } catch {
    return { raw: text };
  }
}
