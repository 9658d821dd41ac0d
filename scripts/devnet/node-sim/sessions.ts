/**
 * Session bookkeeping: token counts and the checkpoint index per session, with the real node's checkpoint rules.
 *
 * The real node keeps one token tracker per job (fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:332-486):
 * a checkpoint is triggered once CHECKPOINT_THRESHOLD tokens were generated since the last one and no submission is
 * in flight; the FIRST checkpoint of a job claims at least the job's proofInterval (at least MIN_PROVEN_TOKENS), even
 * when fewer tokens were generated (lines 390-400). When the session ends the remainder is forced: any amount for a
 * first checkpoint (padded the same way), otherwise only when it reaches MIN_PROVEN_TOKENS (lines 1211-1250). Each
 * published checkpoint covers tokenRange [previous trigger point, previous trigger point + claimed]
 * (lines 956-958), so a padded first range can overlap the next one.
 *
 * Sessions outlive their sockets so `GET /v1/checkpoints/:session_id` still answers after a client disconnects (the
 * real index lives in S5; the SDK resumes a session on a new socket with the same session_id).
 */
import { MIN_PROVEN_TOKENS } from "./config.ts";

export interface Checkpoint {
  index: number;
  proofHash: string;
  /** Only on chain (submitProofOfWork's proofCID); the index does not list it. */
  proofCid: string;
  deltaCid: string;
  tokenRange: [number, number];
  /** Unix milliseconds (CheckpointEntry.timestamp). */
  timestamp: number;
}

/** A checkpoint decided but not yet published (its proof is still being "generated"). */
export interface PendingCheckpoint {
  start: number;
  end: number;
  /** Tokens claimed on chain: end - start. */
  claimed: number;
}

export interface Session {
  sessionId: string;
  /** Decimal string (job ids are u64 in the node); null while no init named one. */
  jobId: string | null;
  chainId: number | undefined;
  encrypted: boolean;
  /** tokens_generated of the job's tracker. */
  totalTokens: number;
  /** last_checkpoint of the tracker: tokens generated when the last checkpoint was triggered. */
  lastCheckpoint: number;
  /** Minimum claim of the first checkpoint (max(proofInterval, MIN_PROVEN_TOKENS)); resolved from chain when there is one. */
  minBillable: number;
  /** submission_in_progress: no new checkpoint is triggered while one is being proven. */
  inFlight: Promise<void> | undefined;
  checkpoints: Checkpoint[];
  /** Local time (ms) the last proof transaction was sent: the dispute window is counted from it. */
  lastProofSentAt: number | undefined;
  /** Set once the socket that carried the session closed; it is then settled once. */
  ended: boolean;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly checkpointInterval: number,
    /** What the first checkpoint is padded to until the chain says otherwise (the node's query fallback). */
    private readonly fallbackMinBillable: number,
  ) {}

  get(sessionId: string): Session | undefined {
    return this.sessions.get(sessionId);
  }

  /**
   * Opens a session or takes up a known one (the SDK re-sends the init before every prompt and resumes on a new
   * socket). A session that ended starts a fresh tracker, as the node's does once the job's tracker was cleaned up.
   */
  open(sessionId: string, jobId: string | null, chainId: number | undefined, encrypted: boolean): Session {
    const known = this.sessions.get(sessionId);
    if (known) {
      const sameJob = jobId === null || known.jobId === null || known.jobId === jobId;
      if (jobId !== null) known.jobId = jobId;
      // An encrypted init stores a session key under the id (server.rs:2320-2328), whatever came before.
      if (encrypted) known.encrypted = true;
      if (known.ended) {
        known.ended = false;
        // The node's checkpoint tracker is per job, not per socket (job_trackers keyed by job id,
        // fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs): a client that resumes its session on a new
        // socket goes on counting from where the job's last checkpoint left off. Only another job starts from 0.
        if (!sameJob) {
          known.totalTokens = 0;
          known.lastCheckpoint = 0;
          known.lastProofSentAt = undefined;
        }
      }
      return known;
    }
    const session: Session = {
      sessionId,
      jobId,
      chainId,
      encrypted,
      totalTokens: 0,
      lastCheckpoint: 0,
      minBillable: Math.max(this.fallbackMinBillable, MIN_PROVEN_TOKENS),
      inFlight: undefined,
      checkpoints: [],
      lastProofSentAt: undefined,
      ended: false,
    };
    this.sessions.set(sessionId, session);
    return session;
  }

  activeCount(): number {
    let count = 0;
    for (const session of this.sessions.values()) if (!session.ended) count++;
    return count;
  }

  /** Counts one generated token; returns the checkpoint it triggers, if any. */
  addToken(session: Session): PendingCheckpoint | undefined {
    session.totalTokens++;
    if (session.jobId === null || session.inFlight) return undefined;
    if (session.totalTokens - session.lastCheckpoint < this.checkpointInterval) return undefined;
    return this.trigger(session);
  }

  /** The forced checkpoint when a session ends, or undefined when nothing (provable) is left. */
  finalCheckpoint(session: Session): PendingCheckpoint | undefined {
    const since = session.totalTokens - session.lastCheckpoint;
    if (session.jobId === null || since <= 0) return undefined;
    if (session.lastCheckpoint !== 0 && since < MIN_PROVEN_TOKENS) return undefined;
    return this.trigger(session);
  }

  private trigger(session: Session): PendingCheckpoint {
    const start = session.lastCheckpoint;
    const since = session.totalTokens - start;
    const claimed = start === 0 ? Math.max(since, session.minBillable) : since;
    session.lastCheckpoint = session.totalTokens;
    return { start, end: start + claimed, claimed };
  }

  /** Adds a proven checkpoint to the session's index. */
  publish(session: Session, pending: PendingCheckpoint, ids: { proofHash: string; proofCid: string; deltaCid: string }): Checkpoint {
    const checkpoint: Checkpoint = {
      index: session.checkpoints.length,
      ...ids,
      tokenRange: [pending.start, pending.end],
      timestamp: Date.now(),
    };
    session.checkpoints.push(checkpoint);
    return checkpoint;
  }
}
