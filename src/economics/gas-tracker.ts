/**
 * The running host's gas metrics: after each earnings-ledger run, bring the gas ledger up to date and report what is
 * new (`gas_spent` per transaction, for the counter and the daily summary) and the net (`net_earnings`: ETH credited
 * minus all gas over the history). A first run that rebuilt the ledgers counts nothing as new, as for earnings: the
 * counters count what happened while this process ran.
 */
import { ZeroAddress } from "ethers";
import type { ReconcileResult } from "../host/ledger/reconcile.ts";
import type { OpsEvent } from "../ops/events.ts";
import type { RpcSend } from "../host/ledger/log-query.ts";
import { syncGasLedger } from "./gas-ledger.ts";
import { loadGasLedger } from "./gas-store.ts";

export interface GasTrackerOptions {
  rpc: RpcSend;
  chainId: number;
  contracts: { nodeRegistry: string; fabToken: string };
  host: string;
  stateDir: string;
  emit(event: OpsEvent): void;
}

export function createGasTracker(options: GasTrackerOptions): (result: ReconcileResult) => Promise<void> {
  let known: Set<string> | null = null;
  return async (result) => {
    const first = known === null;
    known ??= new Set(Object.keys(loadGasLedger(options.stateDir, options.chainId, options.host)?.entries ?? {}));
    const file = await syncGasLedger({ ...options, ledger: result.ledger, rebuilt: result.rebuilt });
    for (const [hash, entry] of Object.entries(file.entries)) {
      if (known.has(hash)) continue;
      known.add(hash);
      if (!(first && result.rebuilt)) options.emit({ type: "gas_spent", kind: entry.kind, wei: BigInt(entry.feeWei) });
    }
    const credited = result.ledger.events.reduce(
      (sum, e) => (e.kind === "credited" && e.token.toLowerCase() === ZeroAddress ? sum + BigInt(e.amount) : sum),
      0n,
    );
    const gas = Object.values(file.entries).reduce((sum, e) => sum + BigInt(e.feeWei), 0n);
    options.emit({ type: "net_earnings", wei: credited - gas });
  };
}
