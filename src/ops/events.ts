/**
 * One way in for everything operations cares about: the session front, proof pipeline, supervisor, RPC pool and
 * chain watcher report what happened with `emit(event)`, and this routes it to the metrics, the daily summary, the
 * readiness state and the alert rules. Reporting never throws into the caller.
 */
import { formatUnits } from "ethers";
import type { HostMetrics } from "./metrics/host-metrics.ts";
import type { DailySummary } from "./summary/daily-summary.ts";
import type { AlertRules } from "./alerts/alert-rules.ts";
import type { HealthState } from "./http/health-state.ts";
import { DEFAULT_PROOF_GAS } from "../economics/gas-estimates.ts";

export type OpsEvent =
  | { type: "session_started"; sessionId?: string; jobId?: string; model?: string }
  | { type: "session_ended"; sessionId?: string; jobId?: string }
  | { type: "tokens_generated"; count: number; model?: string }
  | { type: "proof_submitted"; jobId: string; tokens: number; txHash?: string; latencySeconds?: number }
  | { type: "proof_failed"; jobId: string; reason: string; permanent: boolean; tokens?: number }
  | { type: "proofs_pending"; count: number }
  /** A settled session billed beyond what its client was served (a node's own proofs; src/proof/minimum-billing.ts). */
  | { type: "tokens_over_billed"; jobId: string; tokens: number }
  | { type: "earnings_credited"; token: string; amount: bigint | string }
  /** A transaction of the host found in the gas ledger for the first time (see src/economics/gas-tracker.ts). */
  | { type: "gas_spent"; kind: string; wei: bigint }
  /** ETH credited minus all gas, over the ledger's history. */
  | { type: "net_earnings"; wei: bigint }
  /** Node events name the node (and its model) on a host that runs several; the first node's carry no name. */
  | { type: "node_ready"; node?: string; model?: string | null }
  | { type: "node_restarted"; reason?: string; node?: string; model?: string | null }
  | { type: "node_down"; reason: string; node?: string; model?: string | null }
  | { type: "rpc_error"; url: string }
  | { type: "rpc_failover"; from: string; to: string }
  | { type: "rpc_all_down"; endpoints: number; lastError: string }
  | { type: "rpc_recovered" }
  | { type: "wallet_balance"; wei: bigint; proofCostWei?: bigint; address?: string }
  | { type: "stake_slashed"; amountWei: bigint; remainingWei?: bigint }
  /** Report at start and on every change; the alert fires when a registered host stops being registered. */
  | { type: "registration"; registered: boolean; reason?: string };

export interface OpsSinks {
  metrics?: HostMetrics;
  summary?: DailySummary;
  alerts?: AlertRules;
  health?: HealthState;
  /** Fallback fee when a wallet_balance event carries no proof cost: 0.1 gwei per gas (Base is usually far lower). */
  defaultGasPriceWei?: bigint;
}

const DECIMALS: Record<string, number> = { eth: 18, usdc: 6 };

/** The readiness check of a node: "node" for the first, "node <name>" for each other. */
export function nodeCheck(node: string | undefined): string {
  return node ? `node ${node}` : "node";
}

export function createOpsEvents(sinks: OpsSinks): (event: OpsEvent) => void {
  const { metrics, summary, alerts, health } = sinks;
  let registered: boolean | undefined;
  // node_up is 1 only while every node the host runs is ready (keyed by name; "" is the first node).
  const nodesReady = new Map<string, boolean>();
  const setNodeReady = (node: string | undefined, ready: boolean) => {
    nodesReady.set(node ?? "", ready);
    metrics?.nodeUp.set([...nodesReady.values()].every(Boolean) ? 1 : 0);
  };
  const route = (event: OpsEvent) => {
    switch (event.type) {
      case "session_started":
        metrics?.sessionsActive.inc();
        metrics?.sessionsTotal.inc();
        if (event.model) metrics?.modelSessions.inc({ model: event.model });
        summary?.record({ type: "session_started" });
        break;
      case "session_ended":
        metrics?.sessionsActive.dec();
        break;
      case "tokens_generated":
        metrics?.tokensGenerated.inc(Math.max(0, event.count));
        if (event.model) metrics?.modelTokensGenerated.inc({ model: event.model }, Math.max(0, event.count));
        summary?.record({ type: "tokens_generated", count: event.count });
        break;
      case "proof_submitted":
        metrics?.proofsSubmitted.inc();
        metrics?.tokensProven.inc(Math.max(0, event.tokens));
        if (event.latencySeconds !== undefined && event.latencySeconds >= 0) metrics?.proofLatency.observe(event.latencySeconds);
        summary?.record({ type: "proof_submitted", tokens: event.tokens });
        break;
      case "proof_failed":
        metrics?.proofsFailed.inc({ permanent: String(event.permanent) });
        summary?.record({ type: "proof_failed" });
        if (event.permanent) alerts?.proofFailedPermanently(event.jobId, event.reason, event.tokens);
        break;
      case "proofs_pending":
        metrics?.proofsPending.set(Math.max(0, event.count));
        break;
      case "tokens_over_billed":
        metrics?.tokensOverBilled.inc(Math.max(0, event.tokens));
        summary?.record({ type: "tokens_over_billed", tokens: event.tokens });
        break;
      case "earnings_credited": {
        const decimals = DECIMALS[event.token.toLowerCase()];
        if (decimals !== undefined) metrics?.earnings.inc({ token: event.token.toLowerCase() }, Number(formatUnits(BigInt(event.amount), decimals)));
        summary?.record({ type: "earnings_credited", token: event.token.toLowerCase(), amount: event.amount });
        break;
      }
      case "gas_spent":
        metrics?.gasSpent.inc({ kind: event.kind }, Number(formatUnits(event.wei, 18)));
        summary?.record({ type: "gas_spent", wei: event.wei });
        break;
      case "net_earnings":
        metrics?.netEarnings.set(Number(formatUnits(event.wei, 18)));
        break;
      case "node_ready":
        setNodeReady(event.node, true);
        health?.set(nodeCheck(event.node), true, null);
        break;
      case "node_restarted":
        metrics?.nodeRestarts.inc();
        summary?.record({ type: "node_restarted" });
        alerts?.nodeRestarted(event.reason, nodeOf(event));
        break;
      case "node_down":
        setNodeReady(event.node, false);
        health?.set(nodeCheck(event.node), false, event.reason);
        alerts?.nodeDown(event.reason, nodeOf(event));
        break;
      case "rpc_error":
        metrics?.rpcError(event.url);
        summary?.record({ type: "rpc_error" });
        break;
      case "rpc_failover":
        metrics?.rpcFailover(event.from);
        break;
      case "rpc_all_down":
        health?.set("chain", false, `no RPC endpoint answers: ${event.lastError}`);
        alerts?.rpcAllDown(event.endpoints, event.lastError);
        break;
      case "rpc_recovered":
        health?.set("chain", true, null);
        break;
      case "wallet_balance": {
        metrics?.walletBalance.set(Number(formatUnits(event.wei, 18)));
        const cost = event.proofCostWei ?? DEFAULT_PROOF_GAS * (sinks.defaultGasPriceWei ?? 100_000_000n);
        alerts?.walletBalance(event.wei, cost, event.address);
        break;
      }
      case "stake_slashed":
        alerts?.stakeSlashed(event.amountWei, event.remainingWei);
        break;
      case "registration":
        health?.set("registered", event.registered, event.registered ? null : (event.reason ?? "not registered"));
        if (registered === true && !event.registered) alerts?.hostUnregistered(event.reason ?? "the registry lists no node for this address");
        registered = event.registered;
        break;
    }
  };
  return (event) => {
    try {
      route(event);
    } catch {
      // Bookkeeping must never break the work it observes.
    }
  };
}

function nodeOf(event: { node?: string; model?: string | null }): { node: string; model: string | null } | undefined {
  return event.node ? { node: event.node, model: event.model ?? null } : undefined;
}
