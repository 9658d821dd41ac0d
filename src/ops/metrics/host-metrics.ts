/**
 * The host's Prometheus metrics, in a private registry (never prom-client's global one, so tests and embedded uses
 * don't collide). Names follow Prometheus conventions: `fabstir_host_` prefix, `_total` on counters, base units
 * (seconds, bytes; token amounts in whole tokens: ETH, USDC). docs/OPERATIONS.md lists every metric.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { logHealthSnapshot } from "../logging/log-health.ts";
import { rpcLabel } from "./rpc-label.ts";

export interface HostMetricsOptions {
  build: { version: string; commit: string };
  /** Wall clock (ms) for uptime; the process start is taken when the registry is made. */
  now?: () => number;
}

export type HostMetrics = ReturnType<typeof createHostMetrics>;

const P = "fabstir_host_";

export function createHostMetrics(options: HostMetricsOptions) {
  const registry = new Registry();
  const registers = [registry];
  const now = options.now ?? Date.now;
  const startedAt = now();

  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name: P + name, help, labelNames, registers });
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name: P + name, help, labelNames, registers });

  const metrics = {
    registry,
    sessionsActive: gauge("sessions_active", "Inference sessions open right now."),
    sessionsTotal: counter("sessions_total", "Inference sessions started since the host started."),
    tokensGenerated: counter("tokens_generated_total", "Tokens the node generated for clients."),
    // A host with several models (one node each): the same counts per model, `repo:file` as registered.
    modelSessions: counter("model_sessions_total", "Sessions started, per model served.", ["model"]),
    modelTokensGenerated: counter("model_tokens_generated_total", "Tokens generated for clients, per model served.", ["model"]),
    tokensProven: counter("tokens_proven_total", "Tokens covered by proofs accepted on chain."),
    tokensOverBilled: counter(
      "tokens_over_billed_total",
      "Tokens settled sessions were billed beyond what their clients were served (beyond the proofInterval minimum); only a node's own proofs can do it.",
    ),
    proofsSubmitted: counter("proofs_submitted_total", "Checkpoint proofs accepted on chain."),
    proofsFailed: counter("proofs_failed_total", 'Checkpoint proof submissions that failed; permanent="true" when given up.', ["permanent"]),
    proofsPending: gauge("proofs_pending", "Checkpoint proofs waiting to be submitted or confirmed."),
    earnings: counter("earnings_credited_total", "Earnings credited to the host, in whole tokens of the payment token.", ["token"]),
    nodeRestarts: counter("node_restarts_total", "Times the supervisor restarted the inference node."),
    nodeUp: gauge("node_up", "1 while every inference node of the host is running and ready, else 0."),
    rpcErrors: counter("rpc_errors_total", "Failed RPC calls, per endpoint (host only; keys in URLs are never shown).", ["url"]),
    rpcFailovers: counter("rpc_failovers_total", "Switches away from an RPC endpoint, per endpoint left.", ["url"]),
    walletBalance: gauge("wallet_balance_eth", "ETH balance of the host wallet (pays proof gas), in ETH."),
    gasSpent: counter(
      "gas_spent_eth_total",
      "Fees the host paid for its transactions (L2 gas and L1 data fee), in ETH, per kind (proof, settlement, pricing …).",
      ["kind"],
    ),
    netEarnings: gauge("net_earnings_eth", "ETH credited to the host minus all the gas it paid, over the ledger's whole history, in ETH."),
    proofLatency: new Histogram({
      name: P + "proof_latency_seconds",
      help: "Seconds from a checkpoint becoming due to its proof being accepted on chain.",
      buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
      registers,
    }),
    alertsSent: counter("alerts_sent_total", "Alerts delivered to the webhook, per kind.", ["kind"]),
    alertsFailed: counter("alerts_failed_total", "Alerts the webhook did not accept (network error or error status)."),
    alertsSuppressed: counter("alerts_suppressed_total", "Alerts held back by de-duplication or rate limiting, per kind.", ["kind"]),
  };

  new Gauge({
    name: P + "uptime_seconds",
    help: "Seconds since the host process started.",
    registers,
    collect() {
      this.set(Math.max(0, (now() - startedAt) / 1000));
    },
  });
  new Gauge({
    name: P + "process_start_time_seconds",
    help: "Start time of the host process since the Unix epoch, in seconds.",
    registers,
    collect() {
      this.set(Math.floor(startedAt / 1000));
    },
  });
  new Gauge({
    name: P + "process_resident_memory_bytes",
    help: "Resident memory of the host process, in bytes.",
    registers,
    collect() {
      this.set(process.memoryUsage().rss);
    },
  });
  new Gauge({ name: P + "build_info", help: "Always 1; labels say which build runs.", labelNames: ["version", "commit"], registers }).set(
    { version: options.build.version, commit: options.build.commit },
    1,
  );
  // Logging's own health, so a full disk shows up on a dashboard even though the log cannot say it.
  new Counter({
    name: P + "log_write_errors_total",
    help: "Log writes that failed (disk full, I/O error, directory removed).",
    registers,
    collect() {
      this.reset();
      this.inc(logHealthSnapshot().writeErrors);
    },
  });
  new Counter({
    name: P + "log_lines_dropped_total",
    help: "Log lines lost because the log file could not be written.",
    registers,
    collect() {
      this.reset();
      this.inc(logHealthSnapshot().droppedLines);
    },
  });
  new Gauge({
    name: P + "log_write_failing",
    help: "1 while a component's log file cannot be written.",
    labelNames: ["component"],
    registers,
    collect() {
      this.reset();
      for (const component of logHealthSnapshot().failing) this.set({ component }, 1);
    },
  });

  return {
    ...metrics,
    /** Counts a failed call to this RPC URL (labelled without its secret parts). */
    rpcError: (url: string) => metrics.rpcErrors.inc({ url: rpcLabel(url) }),
    rpcFailover: (fromUrl: string) => metrics.rpcFailovers.inc({ url: rpcLabel(fromUrl) }),
    /** Prometheus text exposition. */
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
