/**
 * `earnings` with gas: the earnings ledger brought up to date, the gas ledger after it (it reads the ledger's events
 * to find the node's proofs and settlements), and the net view of both.
 */
import { earningsWithLedger, type EarningsOptions, type EarningsReport } from "../host/ledger/earnings.ts";
import type { ChainClient } from "../chain/client.ts";
import { syncGasLedger } from "./gas-ledger.ts";
import { gasLedgerPath } from "./gas-store.ts";
import { buildNetEarnings, type NetEarnings } from "./net-earnings.ts";

export interface NetEarningsReport extends EarningsReport {
  net: NetEarnings;
  gasLedgerFile: string;
}

export async function netEarningsReport(
  options: EarningsOptions & { chain: Pick<ChainClient, "provider" | "network" | "contracts">; ethUsd: number | null; modelNames?: Map<string, string> },
): Promise<NetEarningsReport> {
  const { report, ledger, rebuilt } = await earningsWithLedger(options);
  const { network } = options.chain;
  const gas = await syncGasLedger({
    rpc: options.chain.provider,
    chainId: network.chainId,
    contracts: { nodeRegistry: network.contracts.nodeRegistry, fabToken: network.contracts.fabToken },
    host: options.address,
    stateDir: options.stateDir,
    ledger,
    rebuilt,
    clock: options.clock,
  });
  return {
    ...report,
    net: buildNetEarnings({ sessions: report.sessions, ledger, gas, since: options.since, ethUsd: options.ethUsd, modelNames: options.modelNames }),
    gasLedgerFile: gasLedgerPath(options.stateDir, network.chainId, options.address),
  };
}
