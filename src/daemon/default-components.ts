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
import { applyPendingUpdate } from "../self-update/pending.ts";
import { startLedgerReconciler } from "../host/ledger/reconcile-loop.ts";
import { createGasTracker } from "../economics/gas-tracker.ts";
import { watchRpc } from "./rpc-watch.ts";
import { pruneState, STATE_RETENTION_DAYS } from "../ops/maintenance/prune-state.ts";
import { createJobRouter, type JobRouter, type NodeDirectory } from "../session/router.ts";
import { modelIdFor } from "../node/models/lookup-hash.ts";
import { parseModelRef } from "../node/models/model-ref.ts";

/** bytes32 id (lower-case) of a `repo:file` model, as sessionModel() returns it. */
function modelIdOfRef(ref: string): string {
  const { repo, file } = parseModelRef(ref);
  return modelIdFor(repo, file).toLowerCase();
}
import { describeRefusals } from "../session/refusals.ts";
import { reportNodes } from "./node-ops.ts";
import type { ExtraNodes } from "../node/instances/manager.ts";

const WATCH_INTERVAL_MS = 60_000;

export function defaultComponents(
  context: HostContext,
  config: HostConfig,
  unlockSigner?: () => Promise<string>,
  nodes?: NodeDirectory,
  extraNodes?: () => ExtraNodes | undefined,
): HostComponent[] {
  const ops = createOpsRuntime({ paths: context.paths, config, build: context.build, now: () => context.clock.now(), fetch: context.fetch });
  // One chain client (one RPC pool) for the whole host: the watch, the ledger and the proofs share its failover state,
  // and its counters are the host's RPC metrics. Made on first use; the operations component, stopped last, closes it.
  let chain: ChainClient | undefined;
  const chainClient = () => (chain ??= connectChain(config, { fetch: context.fetch, clock: context.clock, logger: ops.logger("chain") }));
  const closeChain = () => chain?.close();
  return [opsComponent(context, config, ops, chainClient, closeChain, extraNodes), sessionsComponent(context, config, ops, chainClient, unlockSigner, nodes)];
}

function opsComponent(
  context: HostContext,
  config: HostConfig,
  ops: OpsRuntime,
  chainClient: () => ChainClient,
  closeChain: () => void,
  extraNodes: (() => ExtraNodes | undefined) | undefined,
): HostComponent {
  let chain: ChainClient | undefined;
  let stopWatch: (() => void) | undefined;
  let stopBeat: (() => void) | undefined;
  let ledger: { stop(): void } | undefined;
  let stopPrune: (() => void) | undefined;
  return {
    name: "operations",
    async start(runtime: HostRuntime) {
      await ops.start();
      // Settled history is compacted at start and then daily, so the state directory does not grow for ever.
      const prune = () => {
        try {
          const result = pruneState(context.paths.stateDir, context.clock.now());
          if (result.sessionsArchived + result.transactionsRemoved > 0)
            ops.logger("supervisor").info("settled history compacted", { ...result, retentionDays: STATE_RETENTION_DAYS });
        } catch (error) {
          ops.logger("supervisor").warn("could not compact settled history", { error: (error as Error).message });
        }
      };
      prune();
      stopPrune = context.clock.every(86_400_000, prune);
      // Liveness: /healthz answers 200 while this loop beats.
      stopBeat = context.clock.every(5_000, () => ops.health.beat());
      ops.health.beat();
      reportNodes(ops, runtime.supervisor, extraNodes?.());
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
      stopWatch = context.clock.every(WATCH_INTERVAL_MS, () => void watch());
      // The earnings ledger follows the chain's events; what is newly credited feeds the earnings metric and summary.
      let first = true;
      const trackGas = createGasTracker({
        rpc: chain.provider,
        chainId: chain.network.chainId,
        contracts: chain.network.contracts,
        host: config.wallet.address,
        stateDir: context.paths.stateDir,
        emit: ops.emit,
      });
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
          trackGas(result).catch((error: Error) => ops.logger("chain").warn("gas ledger not updated", { error: error.message }));
        },
        onError: (error) => ops.logger("chain").warn("earnings ledger not updated", { error: (error as Error).message }),
      });
    },
    async reload(next: HostConfig) {
      for (const setting of ops.reload(next)) ops.logger("supervisor").warn(`${setting} changed: it takes effect at the next restart (fabstir-host restart)`);
    },
    async stop() {
      stopWatch?.();
      stopBeat?.();
      stopPrune?.();
      ledger?.stop();
      closeChain();
      await ops.stop();
    },
  };
}

function sessionsComponent(
  context: HostContext,
  config: HostConfig,
  ops: OpsRuntime,
  chainClient: () => ChainClient,
  unlockSigner?: () => Promise<string>,
  nodes?: NodeDirectory,
): HostComponent {
  let services: SessionServices | undefined;
  let router: JobRouter | undefined;
  let chain: ChainClient | undefined;
  let stopUpdateCheck: (() => void) | undefined;
  let rpcWatch: { stop(): void } | undefined;
  let stopPendingCount: (() => void) | undefined;
  return {
    name: "sessions",
    async start(runtime: HostRuntime) {
      const logger = ops.logger("front");
      if (!unlockSigner) {
        logger.error("no host wallet: sessions are served but nothing will be proven or settled; run fabstir-host wallet create");
      }
      chain = chainClient();
      rpcWatch = watchRpc(chain, ops.emit, undefined, context.clock.every);
      stopPendingCount = context.clock.every(5_000, () => {
        const pending =
          services?.pipeline
            .snapshot()
            .flatMap((record) => record.proofs)
            .filter((step) => step.state === "sending").length ?? 0;
        ops.emit({ type: "proofs_pending", count: pending });
        if (router && services && nodes?.reportSessions) {
          const byNode = new Map<string, number>();
          for (const session of services.monitor.activeSessions()) {
            const node = router.nodeForSession(session.sessionId);
            if (node) byNode.set(node, (byNode.get(node) ?? 0) + 1);
          }
          nodes.reportSessions(byNode);
        }
      });
      const signer = unlockSigner ? new Wallet(await unlockSigner()) : Wallet.createRandom();
      // Several nodes: each session goes to the node of its job's model (read on chain), see src/session/router.ts.
      const jobs = chain.contracts.jobMarketplace;
      const modelNames = new Map(config.models.map((ref) => [modelIdOfRef(ref), ref]));
      const modelOf = (sessionId: string) => {
        const id = router?.modelOfSession(sessionId);
        return id ? (modelNames.get(id) ?? id) : undefined;
      };
      router = nodes
        ? createJobRouter({ nodes, sessionModel: (jobId) => jobs.sessionModel(jobId), onError: (message, meta) => logger.warn(message, meta) })
        : undefined;
      services = await startSessionServices({
        config,
        chain,
        router,
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
          if (event.type === "session_opened")
            ops.emit({ type: "session_started", sessionId: event.sessionId, jobId: event.jobId, model: modelOf(event.sessionId) });
          if (event.type === "session_closed") ops.emit({ type: "session_ended", sessionId: event.sessionId });
          if (event.type === "request_completed") ops.emit({ type: "tokens_generated", count: event.tokensUsed, model: modelOf(event.sessionId) });
        },
        onMetric: (metric) => {
          if (metric.type === "proof_submitted") ops.emit({ type: "proof_submitted", jobId: metric.jobId, tokens: metric.tokens });
          if (metric.type === "proof_failed") ops.emit({ type: "proof_failed", jobId: metric.jobId, reason: metric.reason, permanent: metric.permanent });
          if (metric.type === "over_billed") ops.emit({ type: "tokens_over_billed", jobId: metric.jobId, tokens: metric.tokens });
        },
      });
      logger.info("public API listening", { port: services.front.port });
      // Recovery runs behind the open port (a long history must not keep it closed); its count is logged when done.
      services.recovery.then(
        (recoveredSessions) => logger.info("proof recovery done", { recoveredSessions }),
        (error) => logger.warn("proof recovery failed; sessions found later are still proven", { error: (error as Error).message }),
      );
      // A self-update staged while sessions ran is installed once none is open; the next start runs the new binary.
      stopUpdateCheck = context.clock.every(WATCH_INTERVAL_MS, () => {
        if (!services || services.monitor.activeSessions().length > 0) return;
        applyPendingUpdate(context.paths, process.execPath)
          .then((applied) => applied && ops.logger("supervisor").info("staged update installed; it runs from the next restart", { update: applied }))
          .catch((error) => ops.logger("supervisor").warn("staged update not applied", { error: (error as Error).message }));
      });
      runtime.onDrain(async (deadline) => {
        await services?.stop({ drainMs: Math.max(0, deadline - context.clock.now()) });
        services = undefined;
      });
    },
    async reload(next: HostConfig) {
      // What a running pipeline can take live; ports, the node and the signer mode need a restart.
      services?.pipeline.setGraceMs(next.proofs.graceSeconds * 1000);
      services?.pipeline.setGasPolicy({ minValueToGas: next.proofs.minValueToGas ?? 0, maxUnprovenIntervals: next.proofs.maxUnprovenIntervals ?? 1 });
      for (const key of ["node", "s5", "publicUrl", "rpcUrls", "network"] as const) {
        if (JSON.stringify(next[key]) !== JSON.stringify(config[key]))
          ops.logger("supervisor").warn(`${key} changed: it takes effect at the next restart (fabstir-host restart)`);
      }
    },
    async stop() {
      stopUpdateCheck?.();
      rpcWatch?.stop();
      stopPendingCount?.();
      await services?.stop({ drainMs: 0 });
    },
  };
}
