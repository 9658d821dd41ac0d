/**
 * The running host keeps its ledger current: `startLedgerReconciler` runs `reconcile` now and then every interval
 * (never two at once), and hands each result to `onResult`, e.g. to bump the earnings counters:
 *
 *   const loop = startLedgerReconciler({ rpc: chain.provider, network: chain.network, host, stateDir, logger,
 *     onResult: (r) => { for (const [token, amount] of Object.entries(creditedInWholeTokens(r, usdc)))
 *       metrics.earnings.inc({ token }, amount); } });
 *   … await loop.stop();
 */
import { formatUnits } from "ethers";
import { systemClock } from "../../util/clock.ts";
import { paymentTokenOf, TOKEN_DECIMALS, type PaymentToken } from "./amounts.ts";
import { reconcile, type ReconcileDeps, type ReconcileResult } from "./reconcile.ts";

export interface LedgerReconcilerOptions extends ReconcileDeps {
  /** Between runs, in ms (default 60 s). */
  intervalMs?: number;
  onResult?(result: ReconcileResult): void;
  /** A failed run is reported here (default: logged as a warning) and the next one tries again. */
  onError?(error: Error): void;
}

export interface LedgerReconciler {
  /** Runs one reconciliation now (joins one in progress). */
  runNow(): Promise<ReconcileResult | undefined>;
  stop(): Promise<void>;
}

export function startLedgerReconciler(options: LedgerReconcilerOptions): LedgerReconciler {
  const clock = options.clock ?? systemClock;
  const interval = Math.max(1000, options.intervalMs ?? 60_000);
  const controller = new AbortController();
  let running: Promise<ReconcileResult | undefined> | undefined;

  const runNow = () =>
    (running ??= reconcile(options)
      .then((result) => {
        options.onResult?.(result);
        return result;
      })
      .catch((error: Error) => {
        if (options.onError) options.onError(error);
        else options.logger?.warn("earnings ledger reconciliation failed; trying again later", { error: error.message });
        return undefined;
      })
      .finally(() => (running = undefined)));

  const loop = (async () => {
    while (!controller.signal.aborted) {
      await runNow();
      await clock.sleep(interval, controller.signal).catch(() => undefined);
    }
  })();

  return {
    runNow,
    async stop() {
      controller.abort();
      await loop;
    },
  };
}

/** Newly credited earnings of a run in whole tokens per payment token (counters count ETH and USDC, not wei). */
export function creditedInWholeTokens(result: ReconcileResult, usdcAddress: string): Partial<Record<PaymentToken, number>> {
  const out: Partial<Record<PaymentToken, number>> = {};
  for (const [address, amount] of Object.entries(result.added.credited)) {
    const token = paymentTokenOf(address, usdcAddress);
    if (token && amount > 0n) out[token] = (out[token] ?? 0) + Number(formatUnits(amount, TOKEN_DECIMALS[token]));
  }
  return out;
}
