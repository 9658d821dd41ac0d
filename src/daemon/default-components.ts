/**
 * The running host's components, in start order: operations (logs, metrics and health endpoint, alerts, daily
 * summary, a periodic look at the wallet and registration), then sessions (the public front and the proof pipeline).
 * Every event flows into operations through `emit`, so metrics, alerts and the summary see the same facts.
 */
import { Wallet } from "ethers";
import type { HostContext } from "../context.ts";
import type { HostConfig } from "../config/types.ts";
import type { HostComponent, HostRuntime } from "./components.ts";
import { createOpsRuntime, type OpsRuntime } from "../ops/runtime.ts";
import { connectChain, readHostSnapshot, type ChainClient } from "../chain/index.ts";
import { startSessionServices, type SessionServices } from "../session/services.ts";
import { applyPendingUpdate } from "../update/pending.ts";
import { startLedgerReconciler } from "../host/ledger/reconcile-loop.ts";
import { watchRpc } from "./rpc-watch.ts";
import { pruneState, STATE_RETENTION_DAYS } from "../ops/maintenance/prune-state.ts";
import { describeRefusals } from "../session/refusals.ts";

const WATCH_INTERVAL_MS = 60_000;

export function defaultComponents(context: HostContext, config: HostConfig, unlockSigner?: () => Promise<string>): HostComponent[] {
  const ops = createOpsRuntime({ paths: context.paths, config, build: context.build, now: () => context.clock.now(), fetch: context.fetch });
  // One chain client (one RPC pool) for the whole host: the watch, the ledger and the proofs share its failover state,
  // and its counters are the host's RPC metrics. Made on first use; the operations component, stopped last, closes it.
  let chain: ChainClient | undefined;
  const chainClient = () => (chain ??= connectChain(config, { fetch: context.fetch, clock: context.clock, logger: ops.logger("chain") }));
  const closeChain = () => chain?.close();
  return [opsComponent(context, config, ops, chainClient, closeChain), sessionsComponent(context, config, ops, chainClient, unlockSigner)];
}

function opsComponent(context: HostContext, config: HostConfig, ops: OpsRuntime, chainClient: () => ChainClient, closeChain: () => void): HostComponent {
  let chain: ChainClient | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let beat: ReturnType<typeof setInterval> | undefined;
  let ledger: { stop(): void } | undefined;
  let pruneTimer: ReturnType<typeof setInterval> | undefined;
  return {
    name: "operations",
    async start(runtime: HostRuntime) {
      await ops.start();
      // Settled history is compacted at start and then daily, so the state directory does not grow for ever.
      const prune = () => {
        try {
          const result = pruneState(context.paths.stateDir, context.clock.now());
          if (result.sessionsArchived + result.transactionsRemoved > 0) ops.logger("supervisor").info("settled history compacted", { ...result, retentionDays: STATE_RETENTION_DAYS });
        } catch (error) {
          ops.logger("supervisor").warn("could not compact settled history", { error: (error as Error).message });
        }
      };
      prune();
      pruneTimer = setInterval(prune, 86_400_000);
      (pruneTimer as { unref?: () => void }).unref?.();
      // Liveness: /healthz answers 200 while this loop beats.
      beat = setInterval(() => ops.health.beat(), 5_000);
      (beat as { unref?: () => void }).unref?.();
      ops.health.beat();
      ops.emit({ type: "node_ready" });
      ops.health.set("node", true);
      runtime.supervisor.on("restart", (event) => ops.emit({ type: "node_restarted", reason: String((event as { reason?: unknown }).reason ?? "crash") }));
      runtime.supervisor.on("crash-loop", (event) => ops.emit({ type: "node_down", reason: String((event as { reason?: unknown }).reason ?? "crash loop") }));
      runtime.supervisor.on("ready", () => {
        ops.health.set("node", true);
        ops.emit({ type: "node_ready" });
      });
      runtime.supervisor.on("unhealthy", () => ops.health.set("node", false, "node unhealthy"));
      if (!config.wallet) {
        ops.health.set("registered", false, "no wallet configured");
        return;
      }
      chain = chainClient();
      const watch = async () => {
        try {
          const snapshot = await readHostSnapshot(chain!.provider, chain!.contracts, config.wallet!.address);
          ops.health.set("chain", true);
          ops.health.set("registered", snapshot.registered && snapshot.active, snapshot.registered ? null : "not registered");
          ops.emit({ type: "registration", registered: snapshot.registered && snapshot.active });
          ops.emit({ type: "wallet_balance", wei: snapshot.balances.eth, address: config.wallet!.address });
        } catch (error) {
          ops.health.set("chain", false, (error as Error).message.slice(0, 200));
        }
      };
      void watch();
      timer = setInterval(() => void watch(), WATCH_INTERVAL_MS);
      (timer as { unref?: () => void }).unref?.();
      // The earnings ledger follows the chain's events; what is newly credited feeds the earnings metric and summary.
      let first = true;
      ledger = startLedgerReconciler({
        rpc: chain.provider,
        network: chain.network,
        host: config.wallet.address,
        stateDir: context.paths.stateDir,
        logger: ops.logger("chain"),
        clock: context.clock,
        intervalMs: WATCH_INTERVAL_MS,
        onResult: (result) => {
          // A first run that rebuilt the ledger from history would count all past earnings as new.
          if (!(first && result.rebuilt)) {
            for (const [token, amount] of Object.entries(result.added.credited)) {
              const name = /^0x0{40}$/i.test(token) ? "eth" : token.toLowerCase() === chain!.network.contracts.usdcToken.toLowerCase() ? "usdc" : token;
              if (amount > 0n) ops.emit({ type: "earnings_credited", token: name, amount });
            }
          }
          first = false;
        },
        onError: (error) => ops.logger("chain").warn("earnings ledger not updated", { error: (error as Error).message }),
      });
    },
    async reload(next: HostConfig) {
      for (const setting of ops.reload(next)) ops.logger("supervisor").warn(`${setting} changed: it takes effect at the next restart (fabstir-host restart)`);
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (beat) clearInterval(beat);
      if (pruneTimer) clearInterval(pruneTimer);
      ledger?.stop();
      closeChain();
      await ops.stop();
    },
  };
}

function sessionsComponent(context: HostContext, config: HostConfig, ops: OpsRuntime, chainClient: () => ChainClient, unlockSigner?: () => Promise<string>): HostComponent {
  let services: SessionServices | undefined;
  let chain: ChainClient | undefined;
  let updateTimer: ReturnType<typeof setInterval> | undefined;
  let rpcWatch: { stop(): void } | undefined;
  let pendingTimer: ReturnType<typeof setInterval> | undefined;
  return {
    name: "sessions",
    async start(runtime: HostRuntime) {
      const logger = ops.logger("front");
      if (!unlockSigner) {
        logger.error("no host wallet: sessions are served but nothing will be proven or settled; run fabstir-host wallet create");
      }
      chain = chainClient();
      rpcWatch = watchRpc(chain, ops.emit);
      pendingTimer = setInterval(() => {
        const pending = services?.pipeline.snapshot().flatMap((record) => record.proofs).filter((step) => step.state === "sending").length ?? 0;
        ops.emit({ type: "proofs_pending", count: pending });
      }, 5_000);
      (pendingTimer as { unref?: () => void }).unref?.();
      const signer = unlockSigner ? new Wallet(await unlockSigner()) : Wallet.createRandom();
      services = await startSessionServices({
        config,
        chain,
        signer,
        stateDir: context.paths.stateDir,
        nodeUrl: runtime.nodeUrl() ?? `http://127.0.0.1:${config.node.internalPort}`,
        clock: context.clock,
        fetch: context.fetch,
        logger: ops.logger("proofs"),
        // Without a wallet there is no host address to check jobs against: inits go to the node as before.
        checkJobs: Boolean(unlockSigner),
        onRefusals: (summary) => ops.alerts.sessionsRefused(summary.address, summary.count, describeRefusals(summary)),
        onEvent: (event) => {
          if (event.type === "session_opened") ops.emit({ type: "session_started", sessionId: event.sessionId, jobId: event.jobId });
          if (event.type === "session_closed") ops.emit({ type: "session_ended", sessionId: event.sessionId });
          if (event.type === "request_completed") ops.emit({ type: "tokens_generated", count: event.tokensUsed });
        },
        onMetric: (metric) => {
          if (metric.type === "proof_submitted") ops.emit({ type: "proof_submitted", jobId: metric.jobId, tokens: metric.tokens });
          if (metric.type === "proof_failed") ops.emit({ type: "proof_failed", jobId: metric.jobId, reason: metric.reason, permanent: metric.permanent });
        },
      });
      logger.info("public API listening", { port: services.front.port, recoveredSessions: services.recovered });
      // A self-update staged while sessions ran is installed once none is open; the next start runs the new binary.
      updateTimer = setInterval(() => {
        if (!services || services.monitor.activeSessions().length > 0) return;
        applyPendingUpdate(context.paths, process.execPath)
          .then((applied) => applied && ops.logger("supervisor").info("staged update installed; it runs from the next restart", { update: applied }))
          .catch((error) => ops.logger("supervisor").warn("staged update not applied", { error: (error as Error).message }));
      }, WATCH_INTERVAL_MS);
      (updateTimer as { unref?: () => void }).unref?.();
      runtime.onDrain(async (deadline) => {
        await services?.stop({ drainMs: Math.max(0, deadline - context.clock.now()) });
        services = undefined;
      });
    },
    async reload(next: HostConfig) {
      // What a running pipeline can take live; ports, the node and the signer mode need a restart.
      services?.pipeline.setGraceMs(next.proofs.graceSeconds * 1000);
      for (const key of ["node", "publicUrl", "rpcUrls", "network"] as const) {
        if (JSON.stringify(next[key]) !== JSON.stringify(config[key])) ops.logger("supervisor").warn(`${key} changed: it takes effect at the next restart (fabstir-host restart)`);
      }
    },
    async stop() {
      if (updateTimer) clearInterval(updateTimer);
      rpcWatch?.stop();
      if (pendingTimer) clearInterval(pendingTimer);
      await services?.stop({ drainMs: 0 });
    },
  };
}
