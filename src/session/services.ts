/**
 * The running host's session side, assembled: the public front, its monitor, and the proof pipeline on the chain
 * layer's journaled sender. The daemon starts it once the node is ready and stops it on shutdown (draining proofs).
 *
 * The public port opens at once: the pipeline's recovery (the proof journal, then this host's active jobs on chain)
 * runs behind it, and what the monitor sees meanwhile is handed to the pipeline, in order, once recovery is done, so
 * a session that opens during recovery is admitted and proven like any other.
 */
import type { ChainClient, TxSigner } from "../chain/index.ts";
import type { HostConfig } from "../config/types.ts";
import type { Clock } from "../util/clock.ts";
import type { FetchFn } from "../context.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import { SessionMonitor, type SessionEvent } from "./monitor.ts";
import { startSessionFront, type SessionFront } from "./front.ts";
import { ProofPipeline, type PipelineMetric } from "../proof/pipeline.ts";
import { ProofJournal } from "../proof/journal.ts";
import { ChainProofPort } from "../proof/chain-adapter.ts";
import { checkpointFetch, httpRoute, type JobRouter } from "./router.ts";

export interface SessionServicesOptions {
  config: HostConfig;
  chain: ChainClient;
  signer: TxSigner;
  stateDir: string;
  /** The node on loopback, e.g. http://127.0.0.1:8081 */
  nodeUrl: string;
  /** Public listen address; the port defaults to config.node.apiPort. */
  hostname?: string;
  port?: number;
  clock: Clock;
  fetch: FetchFn;
  logger: Logger;
  onEvent?: (event: SessionEvent) => void;
  onMetric?: (metric: PipelineMetric) => void;
  onAlert?: (kind: string, message: string, meta: Record<string, unknown>) => void;
  /** Several nodes: sessions go to their job's model's node (src/session/router.ts); without it, all to nodeUrl. */
  router?: JobRouter;
}

export interface SessionServices {
  front: SessionFront;
  monitor: SessionMonitor;
  pipeline: ProofPipeline;
  /** Settles to the number of sessions recovered from the journal and the chain at start. */
  recovery: Promise<number>;
  stop(options?: { drainMs?: number }): Promise<void>;
}

export async function startSessionServices(options: SessionServicesOptions): Promise<SessionServices> {
  const hostAddress = await options.signer.getAddress();
  // Proofs and settlements recorded before a crash are sent again only while the chain still needs them.
  const port: ChainProofPort = new ChainProofPort(options.chain, () => options.chain.sender(options.signer, options.stateDir, { stillWanted: (record) => port.stillWanted(record) }), hostAddress, options.stateDir);
  const pipeline = new ProofPipeline({
    chain: port,
    journal: new ProofJournal(options.stateDir),
    signer: options.config.node.signer,
    graceMs: options.config.proofs.graceSeconds * 1000,
    gasPolicy: { minValueToGas: options.config.proofs.minValueToGas ?? 0, maxUnprovenIntervals: options.config.proofs.maxUnprovenIntervals ?? 1 },
    nodeUrl: options.nodeUrl,
    fetch: options.router ? checkpointFetch(options.router, options.fetch, options.nodeUrl) : options.fetch,
    clock: options.clock,
    logger: options.logger.child({ component: "proofs" }),
    onMetric: options.onMetric,
    onAlert: options.onAlert,
  });
  let recovering = true;
  const held: SessionEvent[] = [];
  const monitor = new SessionMonitor({
    now: () => options.clock.now(),
    onEvent: (event) => {
      if (recovering) held.push(event);
      else pipeline.handle(event);
      options.onEvent?.(event);
    },
  });
  const frontLogger = options.logger.child({ component: "front" });
  const front = startSessionFront({
    hostname: options.hostname ?? "0.0.0.0",
    port: options.port ?? options.config.node.apiPort,
    upstream: options.nodeUrl,
    monitor,
    maxConnections: Math.max(16, options.config.host.maxConcurrent * 4),
    onError: (message, meta) => frontLogger.warn(message, meta),
    route: options.router?.route,
    routeHttp: options.router ? httpRoute(options.router) : undefined,
  });
  const recovery = pipeline.recover().finally(() => {
    recovering = false;
    for (const event of held.splice(0)) pipeline.handle(event);
  });
  return {
    front,
    monitor,
    pipeline,
    recovery,
    async stop({ drainMs = 10_000 } = {}) {
      // Stop taking new sessions, let open ones finish, then give in-flight proofs the rest of the deadline.
      const started = options.clock.now();
      await front.stop({ drainMs: Math.floor(drainMs / 2) });
      await Promise.race([recovery.catch(() => 0), new Promise((resolve) => setTimeout(resolve, Math.max(0, drainMs - (options.clock.now() - started))).unref?.())]);
      await pipeline.drain(Math.max(0, drainMs - (options.clock.now() - started)));
    },
  };
}
