/**
 * Session bookkeeping: token counts and the checkpoint index per session.
 *
 * Sessions outlive their sockets so `GET /v1/checkpoints/:session_id` still
 * answers after a client disconnects (the host reconciles proofs after the fact).
 */
import { MIN_PROVEN_TOKENS } from "./config.ts";
import { deltaCid, proofCid, proofHash } from "./proof-ids.ts";

export interface Checkpoint {
  index: number;
  proof_hash: string;
  proof_cid: string;
  delta_cid: string;
  /** Cumulative tokens of the session at this checkpoint. */
  tokens: number;
  /** Tokens since the previous checkpoint: what the proof claims on chain. */
  tokens_claimed: number;
  /** Unix seconds. */
  timestamp: number;
}

export interface Session {
  sessionId: string;
  /** Decimal string (job ids are uint256); null when an encrypted init gave no hint. */
  jobId: string | null;
  chainId: number | undefined;
  encrypted: boolean;
  totalTokens: number;
  checkpointedTokens: number;
  checkpoints: Checkpoint[];
  /** Set once the session ended (socket closed or session_end); it is then settled once. */
  ended: boolean;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly checkpointInterval: number) {}

  get(sessionId: string): Session | undefined {
    return this.sessions.get(sessionId);
  }

  /** Opens a session, or resumes a known one that has not ended (a client reconnecting). */
  open(sessionId: string, jobId: string | null, chainId: number | undefined, encrypted: boolean):
    | { ok: true; session: Session }
    | { ok: false; reason: string } {
    const known = this.sessions.get(sessionId);
    if (known) {
      if (known.ended) return { ok: false, reason: `session ${sessionId} has already ended` };
      if (jobId !== null && known.jobId !== null && known.jobId !== jobId) {
        return { ok: false, reason: `session ${sessionId} belongs to job ${known.jobId}` };
      }
      if (known.jobId === null) known.jobId = jobId;
      return { ok: true, session: known };
    }
    const session: Session = {
      sessionId,
      jobId,
      chainId,
      encrypted,
      totalTokens: 0,
      checkpointedTokens: 0,
      checkpoints: [],
      ended: false,
    };
    this.sessions.set(sessionId, session);
    return { ok: true, session };
  }

  activeCount(): number {
    let count = 0;
    for (const session of this.sessions.values()) if (!session.ended) count++;
    return count;
  }

  /** Counts one generated token; returns the checkpoint it completes, if any. */
  addToken(session: Session): Checkpoint | undefined {
    session.totalTokens++;
    if (session.totalTokens - session.checkpointedTokens >= this.checkpointInterval) {
      return this.record(session);
    }
    return undefined;
  }

  /**
   * Ends a session. The tokens since the last checkpoint become a final
   * checkpoint when there are enough of them to be provable on chain.
   */
  end(session: Session): Checkpoint | undefined {
    if (session.ended) return undefined;
    session.ended = true;
    if (session.totalTokens - session.checkpointedTokens >= MIN_PROVEN_TOKENS) return this.record(session);
    return undefined;
  }

  private record(session: Session): Checkpoint {
    const hash = proofHash(session.sessionId, session.totalTokens);
    const checkpoint: Checkpoint = {
      index: session.checkpoints.length,
      proof_hash: hash,
      proof_cid: proofCid(hash),
      delta_cid: deltaCid(hash),
      tokens: session.totalTokens,
      tokens_claimed: session.totalTokens - session.checkpointedTokens,
      timestamp: Math.floor(Date.now() / 1000),
    };
    session.checkpointedTokens = session.totalTokens;
    session.checkpoints.push(checkpoint);
    return checkpoint;
  }

  /** The JSON body of GET /v1/checkpoints/:session_id. */
  index(session: Session) {
    return {
      session_id: session.sessionId,
      job_id: session.jobId,
      checkpoints: session.checkpoints,
      total_tokens: session.totalTokens,
    };
  }
}
