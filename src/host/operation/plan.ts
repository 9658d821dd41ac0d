/**
 * The common shape of every host operation: open the host, finish an earlier run's transactions, compute the plan
 * from chain state, check the balances it needs, then confirm and send.
 */
import type { RecoveryOutcome } from "../../chain/index.ts";
import type { HostContext } from "../../context.ts";
import { openHost, type HostSession } from "./connect.ts";
import { finishEarlierWork, type OperationHooks } from "./execute.ts";
import { assertRequirements, evaluateRequirements, readBalances, type Balances } from "../registration/requirements.ts";
import { estimateGasCost, networkOf, type OperationPlan, type PlannedTx } from "./tx-plan.ts";

export interface SessionOptions {
  passwordFile?: string;
}

/** Opens the host, finishes earlier unfinished host-operation transactions, runs `work`, closes. */
export async function withHostSession<T>(
  context: HostContext,
  options: SessionOptions,
  hooks: Pick<OperationHooks, "note">,
  work: (session: HostSession, recovered: RecoveryOutcome[]) => Promise<T>,
): Promise<T> {
  const session = await openHost(context, { passwordFile: options.passwordFile });
  try {
    const recovered = await finishEarlierWork(context, session, hooks);
    return await work(session, recovered);
  } finally {
    session.close();
  }
}

export interface PlanInput {
  action: string;
  txs: PlannedTx[];
  notes?: string[];
  warnings?: string[];
  /** FAB the plan transfers out of the wallet (base units). */
  fab?: bigint;
  fabPurpose?: string;
  /** Already read by the caller. */
  balances?: Balances;
}

/**
 * Estimates the gas, checks the balances (INSUFFICIENT_FAB / INSUFFICIENT_ETH before anything is signed) and returns
 * the plan to show. An empty plan needs nothing and checks nothing.
 */
export async function makePlan(session: HostSession, input: PlanInput): Promise<OperationPlan> {
  const { chain, config, address } = session;
  const gas = await estimateGasCost(chain, config, input.txs);
  const warnings = [...(input.warnings ?? [])];
  if (input.txs.length > 0) {
    const balances = input.balances ?? (await readBalances(chain, address));
    const report = evaluateRequirements(balances, { gasWei: gas.costWei, fab: input.fab ?? 0n, fabPurpose: input.fabPurpose });
    assertRequirements(report);
    warnings.push(...report.warnings);
  }
  return { action: input.action, address, network: networkOf(chain), txs: input.txs, gas, notes: input.notes ?? [], warnings };
}
