/**
 * What the HTTP routes and the WebSocket handlers share, and the two
 * bookkeeping steps every generated token and every ended session go through.
 */
import type { ChainSubmitter } from "./chain.ts";
import type { SimConfig } from "./config.ts";
import type { Faults } from "./faults.ts";
import type { SimLog } from "./log.ts";
import type { SimMetrics } from "./metrics.ts";
import type { Session, SessionRegistry } from "./sessions.ts";

export interface SimState {
  modelLoaded: boolean;
  stopping: boolean;
  /** The last on-chain failure, shown in /health until a later submission succeeds. */
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

/** Books one generated token: checkpoint (and its proof), metrics, then the crash switch. */
export function countToken(ctx: SimContext, session: Session): void {
  const checkpoint = ctx.sessions.addToken(session);
  ctx.metrics.tokensGenerated++;
  if (checkpoint) {
    ctx.metrics.checkpointsRecorded++;
    ctx.log.info(
      `📍 Checkpoint ${checkpoint.index} for session ${session.sessionId}: ${checkpoint.tokens} tokens, proof ${checkpoint.proof_hash}`,
    );
    ctx.chain?.submitCheckpoint(session, checkpoint);
  }
  ctx.faults.onToken();
}

/** Ends a session once: records the provable remainder and, on chain, settles the job. */
export function endSession(ctx: SimContext, session: Session): void {
  if (session.ended) return;
  const finalCheckpoint = ctx.sessions.end(session);
  if (finalCheckpoint) {
    ctx.metrics.checkpointsRecorded++;
    ctx.log.info(
      `📍 Final checkpoint ${finalCheckpoint.index} for session ${session.sessionId}: ${finalCheckpoint.tokens} tokens`,
    );
  }
  ctx.log.info(`Session ${session.sessionId} ended after ${session.totalTokens} tokens`);
  ctx.chain?.settle(session, finalCheckpoint);
}
