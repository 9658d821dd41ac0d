/**
 * `status`: the chain reads (chain-reads.ts), the local facts (local.ts) and the cache that keeps warm runs to one
 * round trip, folded into one report. Chain trouble (wrong network, missing contracts, RPC down) does not fail the
 * command: the report shows what it could read, says what went wrong, and the exit code is 1.
 */
import type { ChainClient } from "../../chain/client.ts";
import { rpcUrlLabel } from "../../chain/rpc/url-label.ts";
import type { HostConfig } from "../../config/types.ts";
import type { Paths } from "../../config/paths.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import { DEFAULT_PROOF_GAS } from "../../economics/gas-estimates.ts";
import { amountOf } from "../ledger/amounts.ts";
import { emptyStatusCache, loadStatusCache, saveStatusCache, type StatusCache, type StatusCacheKey } from "./cache.ts";
import { ContractsMissing, NetworkMismatch, readStatusChain, StaleCache, type StatusChainData } from "./chain-reads.ts";
import { cachedNet } from "../../economics/status-net.ts";
import { journalSessions, ledgerProofCounts, nodeProcessStatus } from "./local.ts";
import { registrationOf, sessionsOf } from "./assemble.ts";
import { mergeSlashes } from "./slashes.ts";
import type { StatusReport, StatusWarning } from "./types.ts";
import { statusWarnings } from "./warnings.ts";

export interface StatusDeps {
  config: HostConfig;
  chain: ChainClient;
  address: string;
  paths: Paths;
  now: () => number;
  logger?: Logger;
}

export interface StatusOutcome {
  report: StatusReport;
  /** 1 when the chain part could not be read (or cannot be trusted), else 0. */
  exitCode: 0 | 1;
}

export async function collectStatus(deps: StatusDeps): Promise<StatusOutcome> {
  const { chain, address } = deps;
  const network = chain.network;
  const before = totals(chain);
  const key: StatusCacheKey = { stateDir: deps.paths.stateDir, chainId: network.chainId, host: address, marketplace: network.contracts.jobMarketplace };
  const node = nodeProcessStatus(deps.paths, deps.now());
  const problems: StatusWarning[] = [];
  let foundChainId: number | null = null;
  let data: StatusChainData | null = null;
  let cache = loadStatusCache(key);
  try {
    try {
      data = await readStatusChain(chain.rpc, network, address, cache, deps.config.models);
    } catch (error) {
      if (!(error instanceof StaleCache)) throw error;
      cache = emptyStatusCache(key); // a reset devnet or a reorg: read everything again
      data = await readStatusChain(chain.rpc, network, address, cache, deps.config.models);
    }
    foundChainId = data.chainId;
  } catch (error) {
    deps.logger?.warn("status could not read the chain", { error: (error as Error)?.message, stack: (error as Error)?.stack });
    problems.push(chainProblem(error, network.label, network.chainId));
    if (error instanceof NetworkMismatch) foundChainId = error.found;
  }

  const report: StatusReport = {
    address,
    network: {
      name: network.name,
      label: network.label,
      chainId: network.chainId,
      rpc: network.rpcUrls.map(rpcUrlLabel),
      verified: data !== null,
      foundChainId,
    },
    block: data ? { number: data.head.number, time: new Date(data.head.timestamp * 1000).toISOString() } : null,
    registration: null,
    wallet: null,
    earnings: null,
    net: null,
    sessions: null,
    node,
    gas: null,
    slashes: cache.slashes,
    warnings: problems,
    rpc: { roundTrips: 0, calls: 0 },
    generatedAt: new Date(deps.now()).toISOString(),
  };

  if (data) {
    const identity = { chainId: network.chainId, host: address, contracts: network.contracts };
    const sessions = sessionsOf(
      data,
      cache,
      network.contracts.usdcToken,
      journalSessions(deps.paths.stateDir),
      ledgerProofCounts(deps.paths.stateDir, identity),
    );
    const proofCost = DEFAULT_PROOF_GAS * data.gasPrice;
    report.registration = registrationOf(data, address);
    report.wallet = { eth: amountOf("eth", data.balances.eth), fab: amountOf("fab", data.balances.fab), usdc: amountOf("usdc", data.balances.usdc) };
    report.earnings = { eth: amountOf("eth", data.earnings.eth), usdc: amountOf("usdc", data.earnings.usdc) };
    report.sessions = sessions.summary;
    report.net = cachedNet(deps.paths.stateDir, identity, network.contracts.usdcToken);
    report.gas = {
      priceWei: data.gasPrice.toString(),
      proofCost: amountOf("eth", proofCost),
      proofsLeft: proofCost > 0n ? Number(data.balances.eth / proofCost) : null,
    };
    report.slashes = data.slashLogs ? mergeSlashes(cache.slashes, data.slashLogs) : cache.slashes;
    saveStatusCache(key, {
      ...cache,
      anchor: { number: data.head.number, hash: data.head.hash },
      ids: data.sessionIds,
      settled: sessions.settled,
      slashes: report.slashes,
      slashScannedTo: data.slashLogs ? data.head.number : cache.slashScannedTo,
      modelNames: Object.fromEntries(data.modelNames),
    } satisfies StatusCache);
    report.warnings.push(
      ...statusWarnings({
        networkLabel: network.label,
        registration: report.registration,
        ethBalance: data.balances.eth,
        proofCostWei: proofCost,
        minEthProofs: deps.config.alerts.minEthProofs,
        slashes: report.slashes,
        node,
        signer: deps.config.node.signer,
      }),
    );
  } else {
    report.warnings.push(
      ...statusWarnings({
        networkLabel: network.label,
        registration: null,
        ethBalance: null,
        proofCostWei: null,
        minEthProofs: deps.config.alerts.minEthProofs,
        slashes: cache.slashes,
        node,
        signer: deps.config.node.signer,
      }),
    );
  }
  const after = totals(chain);
  report.rpc = { roundTrips: after.roundTrips - before.roundTrips, calls: after.calls - before.calls };
  return { report, exitCode: report.warnings.some((w) => w.severity === "error") ? 1 : 0 };
}

function totals(chain: ChainClient): { roundTrips: number; calls: number } {
  const stats = chain.rpcStats();
  return { roundTrips: stats.reduce((sum, s) => sum + s.roundTrips, 0), calls: stats.reduce((sum, s) => sum + s.requests, 0) };
}

function chainProblem(error: unknown, label: string, chainId: number): StatusWarning {
  if (error instanceof NetworkMismatch) {
    return {
      kind: "wrong-network",
      severity: "error",
      message: `Wrong network: the config expects ${label} (chain id ${chainId}), but the RPC answers for chain id ${error.found}. Nothing on chain is shown.`,
      hint: "Try: fabstir-host config get rpcUrls, then point it at an endpoint of the configured network",
    };
  }
  if (error instanceof ContractsMissing) {
    return {
      kind: "contracts-missing",
      severity: "error",
      message: `No contract code on ${label} at: ${error.missing.join("; ")}.`,
      hint: "Try: fabstir-host config get contracts",
    };
  }
  return {
    kind: "chain-unreachable",
    severity: "error",
    message: `Could not read ${label}: ${(error as Error)?.message ?? String(error)}`,
    hint: "Try: fabstir-host doctor, or add a fallback RPC with fabstir-host config set rpcUrls <primary>,<fallback>",
  };
}
