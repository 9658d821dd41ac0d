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
import { DEFAULT_MAX_FRAME_BYTES, startSessionFront, type SessionFront } from "./front.ts";
import { JobGate, checkpointFloor, type SessionJobReader } from "./job-gate.ts";
import { describeRefusals, type RefusalSummary } from "./refusals.ts";
import { DEFAULT_PROOF_GAS } from "../economics/gas-estimates.ts";
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
  /** Check each session_init's job at the front (default true; a host without a wallet has no jobs to check against). */
  checkJobs?: boolean;
  /** Reads a session job for the front's check (default: JobMarketplace.sessionJobs through `chain`). */
  readJob?: SessionJobReader;
  /** Refused inits are summed per address over this window before one report (default 60 s). */
  refusalWindowMs?: number;
  /** One summary per address and window of refused session_inits (the daemon turns it into an alert). */
  onRefusals?: (summary: RefusalSummary) => void;
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
  const port: ChainProofPort = new ChainProofPort(
    options.chain,
    () => options.chain.sender(options.signer, options.stateDir, { stillWanted: (record) => port.stillWanted(record) }),
    hostAddress,
    options.stateDir,
  );
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
  const minJobValue = options.config.economics?.minJobValue ?? null;
  // One proof's gas at the highest fee the host pays: the warning errs towards saying a job is cheap.
  const proofCostWei = () => DEFAULT_PROOF_GAS * BigInt(Math.ceil(options.config.tx.maxFeeGwei * 1e9));
  const jobGate = new JobGate({
    read: options.readJob ?? chainJobReader(options.chain),
    hostAddress,
    now: () => options.clock.now(),
    floor: checkpointFloor(minJobValue === null ? null : BigInt(minJobValue), proofCostWei),
    onReadError: (jobId, error) => frontLogger.warn("job not checked: the chain could not be read; the init goes to the node", { jobId, error: error.message }),
    onBelowFloor: (jobId, below) =>
      frontLogger.warn("a session's job pays less than its proofs cost (economics.minJobValue refuses such jobs)", { jobId, below }),
  });
  const front = startSessionFront({
    hostname: options.hostname ?? "0.0.0.0",
    port: options.port ?? options.config.node.apiPort,
    upstream: options.nodeUrl,
    monitor,
    maxConnections: Math.max(16, options.config.host.maxConcurrent * 4),
    maxFrameBytes: options.config.front?.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    jobGate: options.checkJobs === false ? undefined : jobGate,
    refusalWindowMs: options.refusalWindowMs,
    onRefusals: (summary) => {
      const message = describeRefusals(summary);
      frontLogger.warn(message, { address: summary.address, count: summary.count });
      options.onRefusals?.(summary);
      options.onAlert?.("sessions_refused", message, { address: summary.address, count: summary.count });
    },
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
      await Promise.race([
        recovery.catch(() => 0),
        new Promise((resolve) => setTimeout(resolve, Math.max(0, drainMs - (options.clock.now() - started))).unref?.()),
      ]);
      await pipeline.drain(Math.max(0, drainMs - (options.clock.now() - started)));
    },
  };
}

/** JobMarketplace.sessionJobs as the front's check needs it; a zeroed struct (no such job) reads as undefined. */
export function chainJobReader(chain: ChainClient): SessionJobReader {
  return async (jobId) => {
    const job = await chain.contracts.jobMarketplace.sessionJobs(jobId);
    if (/^0x0{40}$/i.test(job.host)) return undefined;
    return {
      host: job.host,
      status: Number(job.status),
      paymentToken: job.paymentToken,
      deposit: job.deposit,
      pricePerToken: job.pricePerToken,
      proofInterval: job.proofInterval,
    };
  };
}
