/**
 * What the HTTP routes and the WebSocket handlers share, and the bookkeeping every generated token and every ended
 * session go through.
 */
import type { ChainSubmitter } from "./chain.ts";
import type { SimConfig } from "./config.ts";
import type { Faults } from "./faults.ts";
import type { SimLog } from "./log.ts";
import type { SimMetrics } from "./metrics.ts";
import { deltaCid, proofBytes, proofCid, proofHash } from "./proof-ids.ts";
import type { PendingCheckpoint, Session, SessionRegistry } from "./sessions.ts";

export interface SimState {
  modelLoaded: boolean;
  /** The id printed in "✅ Model loaded successfully (ID: …)": a fresh UUID per load, like the real engine's. */
  modelId: string;
  stopping: boolean;
  /** The last on-chain failure (logged; the real /health does not report it). */
  chainFailure: string | undefined;
}

export interface SimContext {
  config: SimConfig;
  log: SimLog;
  sessions: SessionRegistry;
  metrics: SimMetrics;
  faults: Faults;
  chain: ChainSubmitter | undefined;
  state: SimState;
}

/**
 * The real node has a checkpoint manager only with HOST_PRIVATE_KEY (fabstir-llm-node@85a87b8 src/main.rs:544-608);
 * without one nothing is checkpointed and GET /v1/checkpoints answers 503.
 */
export function checkpointsEnabled(ctx: SimContext): boolean {
  return ctx.config.hostPrivateKey !== undefined;
}

/** "Generates the proof" (SIM_PROOF_DELAY_MS), publishes the checkpoint to the index, then submits it on chain. */
function prove(ctx: SimContext, session: Session, pending: PendingCheckpoint): void {
  const publish = () => {
    if (ctx.state.stopping) return;
    const hash = proofHash(proofBytes(session.jobId, session.sessionId, pending.start, pending.end));
    const checkpoint = ctx.sessions.publish(session, pending, { proofHash: hash, proofCid: proofCid(hash), deltaCid: deltaCid(hash) });
    ctx.metrics.checkpointsRecorded++;
    ctx.log.info(`📍 Checkpoint ${checkpoint.index} for session ${session.sessionId}: tokens ${pending.start}-${pending.end}, proof ${checkpoint.proofHash}`);
    ctx.chain?.submitCheckpoint(session, checkpoint);
  };
  const delay = ctx.config.sim.proofDelayMs;
  // Without a delay the checkpoint is published at once, so a burst of tokens never waits on a proof in flight.
  if (delay === 0) return publish();
  const work = Bun.sleep(delay).then(publish);
  session.inFlight = work;
  void work.finally(() => {
    if (session.inFlight === work) session.inFlight = undefined;
  });
}

/** Books one generated token: checkpoint (and its proof), metrics, then the crash switch. */
export function countToken(ctx: SimContext, session: Session | undefined): void {
  ctx.metrics.tokensGenerated++;
  if (session && checkpointsEnabled(ctx)) {
    const pending = ctx.sessions.addToken(session);
    if (pending) prove(ctx, session, pending);
  } else if (session) {
    session.totalTokens++;
  }
  ctx.faults.onToken();
}

/**
 * Ends a session once (its socket closed): waits for a proof in flight, forces the final checkpoint, then settles
 * the job on chain (fabstir-llm-node@85a87b8 src/api/server.rs:4244-4330, src/contracts/checkpoint_manager.rs:1476-1650).
 */
export function endSession(ctx: SimContext, session: Session): void {
  if (session.ended) return;
  session.ended = true;
  ctx.log.info(`Session ${session.sessionId} ended after ${session.totalTokens} tokens`);
  if (!checkpointsEnabled(ctx) || session.jobId === null) return;
  void (async () => {
    if (session.inFlight) await session.inFlight;
    const pending = ctx.sessions.finalCheckpoint(session);
    if (pending) {
      prove(ctx, session, pending);
      if (session.inFlight) await session.inFlight;
    }
    ctx.chain?.settle(session);
  })();
}
