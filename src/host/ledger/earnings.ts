/**
 * `earnings`: the ledger brought up to date, as a view, next to what HostEarnings holds now. The on-chain balance read
 * is issued together with the ledger's first read, so it costs no extra round trip.
 */
import type { ChainClient } from "../../chain/client.ts";
import { NATIVE_TOKEN } from "../../chain/contracts.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import type { Clock } from "../../util/clock.ts";
import { amountOf, type PaymentToken, type TokenAmount } from "./amounts.ts";
import { reconcile } from "./reconcile.ts";
import { ledgerPath } from "./store.ts";
import type { LedgerFile, LedgerView } from "./types.ts";
import { buildLedgerView } from "./view.ts";

export interface EarningsReport extends LedgerView {
  /** What HostEarnings holds for this host right now. */
  onChain: Record<PaymentToken, TokenAmount>;
  /** True when the ledger's outstanding amounts equal the on-chain balances (they differ while the ledger misses history). */
  reconciled: boolean;
  scan: { from: number; to: number; rebuilt: boolean };
  ledgerFile: string;
}

export interface EarningsOptions {
  chain: Pick<ChainClient, "provider" | "network" | "contracts">;
  address: string;
  stateDir: string;
  /** Epoch ms, or null for the whole history. */
  since: number | null;
  logger?: Logger;
  clock?: Clock;
}

export async function earningsReport(options: EarningsOptions): Promise<EarningsReport> {
  return (await earningsWithLedger(options)).report;
}

/** The report and the reconciled ledger it was built from (the gas ledger reads the ledger's events). */
export async function earningsWithLedger(options: EarningsOptions): Promise<{ report: EarningsReport; ledger: LedgerFile; rebuilt: boolean }> {
  const { chain } = options;
  const usdc = chain.network.contracts.usdcToken;
  const [result, balances] = await Promise.all([
    reconcile({ rpc: chain.provider, network: chain.network, host: options.address, stateDir: options.stateDir, logger: options.logger, clock: options.clock }),
    chain.contracts.hostEarnings.getBalances(options.address, [NATIVE_TOKEN, usdc]),
  ]);
  const view = buildLedgerView(result.ledger, { usdcAddress: usdc, since: options.since });
  const onChain = { eth: amountOf("eth", BigInt(balances[0] ?? 0n)), usdc: amountOf("usdc", BigInt(balances[1] ?? 0n)) };
  const report: EarningsReport = {
    ...view,
    onChain,
    reconciled: view.totals.eth.outstanding.raw === onChain.eth.raw && view.totals.usdc.outstanding.raw === onChain.usdc.raw,
    scan: { from: result.from, to: result.to, rebuilt: result.rebuilt },
    ledgerFile: ledgerPath(options.stateDir, chain.network.chainId, options.address),
  };
  return { report, ledger: result.ledger, rebuilt: result.rebuilt };
}
