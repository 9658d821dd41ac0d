/**
 * Adding to the stake (approve only what the allowance lacks, then `stake`) and unregistering (the whole stake comes
 * back; there is no partial unstake). Unregistering first looks for this host's sessions that are still active.
 */
import type { ChainClient, RecoveryOutcome } from "../../chain/index.ts";
import type { HostContext } from "../../context.ts";
import { HostError } from "../../errors/host-error.ts";
import { HostErrors } from "../../errors/codes/host.ts";
import { carryOut, type OperationHooks, type SentTx } from "../operation/execute.ts";
import { makePlan, withHostSession, type SessionOptions } from "../operation/plan.ts";
import { readRegistration, requireRegistered } from "../registration/registration.ts";
import { formatAmount, parseAmount, readBalances } from "../registration/requirements.ts";
import { activeSessionsOf } from "../status/sessions.ts";
import { GAS_GUESS, type OperationPlan, type PlannedTx } from "../operation/tx-plan.ts";

export interface StakeResult {
  address: string;
  /** FAB base units added, and the stake before and after. */
  amount: bigint;
  before: bigint;
  after: bigint;
  /** The same in FAB. */
  amountFab: string;
  afterFab: string;
  plan: OperationPlan;
  sent: SentTx[];
  recovered: RecoveryOutcome[];
}

export async function addStake(context: HostContext, input: SessionOptions & { amount: string }, hooks: OperationHooks): Promise<StakeResult> {
  return withHostSession(context, input, hooks, async (session, recovered) => {
    const { chain, address } = session;
    const [registration, balances] = await Promise.all([readRegistration(chain, address), readBalances(chain, address)]);
    const decimals = balances.fab.decimals;
    const amount = parseAmount(input.amount, decimals);
    if (amount === null || amount === 0n) {
      throw new HostError(
        HostErrors.AMOUNT_INVALID,
        `"${input.amount}" is not an amount of FAB (a positive number with at most ${decimals} decimals). Nothing was sent.`,
      );
    }
    requireRegistered(registration, chain);
    const registry = chain.network.contracts.nodeRegistry;
    // The current stake is part of the key: adding the same amount again later is a new intent, a retry is not.
    const base = `stake:${address}:${registration.stake}`;
    const txs: PlannedTx[] = [];
    if (balances.fabAllowance < amount) {
      const { data } = await chain.contracts.fabToken.approve.populateTransaction(registry, amount);
      txs.push({
        kind: "approve",
        key: `${base}:approve:${amount}`,
        description: `approve ${formatAmount(amount, decimals)} FAB for the stake`,
        to: chain.network.contracts.fabToken,
        data,
        phase: 0,
        gasGuess: GAS_GUESS.approve,
      });
    }
    const { data } = await chain.contracts.nodeRegistry.stake.populateTransaction(amount);
    txs.push({
      kind: "stake",
      key: `${base}:add:${amount}`,
      description: `add ${formatAmount(amount, decimals)} FAB to the stake of ${formatAmount(registration.stake, decimals)} FAB`,
      to: registry,
      data,
      phase: 1,
      gasGuess: GAS_GUESS.stake,
    });
    const plan = await makePlan(session, { action: "stake add", txs, balances, fab: amount, fabPurpose: "the added stake" });
    const sent = await carryOut(context, session, plan, hooks);
    const after = (await readRegistration(chain, address)).stake;
    return {
      address,
      amount,
      before: registration.stake,
      after,
      amountFab: formatAmount(amount, decimals),
      afterFab: formatAmount(after, decimals),
      plan,
      sent,
      recovered,
    };
  });
}

export interface UnregisterResult {
  address: string;
  /** FAB base units the NodeUnregistered event reports as returned (null if the event was not found). */
  returned: bigint | null;
  returnedFab: string | null;
  stake: bigint;
  activeSessions: bigint[];
  plan: OperationPlan;
  sent: SentTx[];
  recovered: RecoveryOutcome[];
}

export async function unregisterHost(context: HostContext, input: SessionOptions, hooks: OperationHooks): Promise<UnregisterResult> {
  return withHostSession(context, input, hooks, async (session, recovered) => {
    const { chain, address } = session;
    const [registration, decimals] = await Promise.all([readRegistration(chain, address), chain.contracts.fabToken.decimals().then(Number)]);
    requireRegistered(registration, chain);
    const activeSessions = await activeSessionsOf(chain, address);
    const warnings: string[] = [];
    if (activeSessions.length > 0) {
      const list = activeSessions.slice(0, 10).join(", ") + (activeSessions.length > 10 ? ", …" : "");
      warnings.push(
        `${activeSessions.length} session${activeSessions.length === 1 ? " is" : "s are"} still active for this host (job ${list}). Their clients lose this host: let them finish (or settle) first.`,
      );
    }
    const { data } = await chain.contracts.nodeRegistry.unregisterNode.populateTransaction();
    const txs: PlannedTx[] = [
      {
        kind: "unregister",
        key: `unregister:${address}`,
        description: `unregister and take back the stake of ${formatAmount(registration.stake, decimals)} FAB`,
        to: chain.network.contracts.nodeRegistry,
        data,
        phase: 0,
        gasGuess: GAS_GUESS.unregister,
      },
    ];
    const notes = ["Earnings already credited stay withdrawable (`fabstir-host withdraw`)."];
    const plan = await makePlan(session, { action: "unregister", txs, warnings, notes });
    const sent = await carryOut(context, session, plan, hooks);
    const returned = await returnedStake(session.chain, sent[0]?.hash);
    return {
      address,
      returned,
      returnedFab: returned === null ? null : formatAmount(returned, decimals),
      stake: registration.stake,
      activeSessions,
      plan,
      sent,
      recovered,
    };
  });
}

/** returnedAmount of the NodeUnregistered event in the transaction's receipt. */
async function returnedStake(chain: ChainClient, hash: string | undefined): Promise<bigint | null> {
  if (!hash) return null;
  const receipt = await chain.provider.getTransactionReceipt(hash);
  const registry = chain.contracts.nodeRegistry;
  for (const log of receipt?.logs ?? []) {
    if (log.address.toLowerCase() !== chain.network.contracts.nodeRegistry.toLowerCase()) continue;
    const parsed = registry.interface.parseLog(log);
    if (parsed?.name === "NodeUnregistered") return BigInt(parsed.args.getValue("returnedAmount"));
  }
  return null;
}
