/**
 * Checks a `session_init`'s job before it costs anything: the job must exist, be active and name this host. The node
 * is never shown an init for a job we would not be paid for, so no proof state, no pipeline work and no "proofs
 * stopped" alert follows from an invented job id.
 *
 * The job is read once (`sessionJobs(jobId)`, through an injected reader) and the verdict cached: a verdict that cannot
 * change (another host's job, a finished one) for long, a missing job briefly (it may be created a moment later), an
 * accepted job for a while (the node and the pipeline see it end). Concurrent checks of one job share one read. When the
 * chain cannot be read the init goes through: the node checks the job too, and an outage must not turn clients away.
 */
import { SessionStatus } from "../chain/abi/job-marketplace.ts";
import { paymentFor } from "../host/pricing/units.ts";

/** What the gate needs of `JobMarketplace.sessionJobs(jobId)`. */
export interface SessionJobView {
  host: string;
  status: number;
  paymentToken: string;
  deposit: bigint;
  pricePerToken: bigint;
  proofInterval: bigint;
}

/** Reads a job; `undefined` when there is no such job (the contract returns a zeroed struct). */
export type SessionJobReader = (jobId: bigint) => Promise<SessionJobView | undefined>;

export type RefusalCode = "INVALID_REQUEST" | "INVALID_JOB_ID" | "JOB_NOT_FOUND" | "JOB_NOT_ACTIVE" | "JOB_WRONG_HOST" | "JOB_BELOW_FLOOR";

export type JobVerdict = { ok: true; note?: string } | { ok: false; code: RefusalCode; message: string };

/** The job floor: a reason to refuse (enforced) or to warn about (not enforced), or nothing. */
export type JobFloor = (job: SessionJobView) => { below: string; enforced: boolean } | undefined;

export interface JobGateOptions {
  read: SessionJobReader;
  hostAddress: string;
  now: () => number;
  floor?: JobFloor;
  /** Called when a job could not be read (the init went through). */
  onReadError?: (jobId: string, error: Error) => void;
  /** Called once per job whose floor only warns. */
  onBelowFloor?: (jobId: string, below: string) => void;
  cacheLimit?: number;
}

const MAX_U64 = (1n << 64n) - 1n;
/** How long each verdict is kept. */
const TTL = { final: 3_600_000, missing: 5_000, accepted: 60_000, unread: 2_000 } as const;
const ZERO_ADDRESS = /^0x0{40}$/i;

export class JobGate {
  private readonly cache = new Map<string, { verdict: JobVerdict; until: number }>();
  private readonly inFlight = new Map<string, Promise<JobVerdict>>();

  constructor(private readonly options: JobGateOptions) {}

  /** The verdict at once when it is known, else a promise of it. Never throws, never rejects. */
  check(rawJobId: string | undefined): JobVerdict | Promise<JobVerdict> {
    // Job ids are u64 on the node's side, as a number or a decimal string (fabstir-llm-node@85a87b8 src/api/server.rs:2122-2135).
    if (rawJobId === undefined || !/^\d{1,20}$/.test(rawJobId) || BigInt(rawJobId) > MAX_U64 || BigInt(rawJobId) === 0n) {
      return { ok: false, code: "INVALID_JOB_ID", message: "session_init needs a job_id: the id of an active session job opened for this host" };
    }
    const jobId = BigInt(rawJobId).toString();
    const cached = this.cache.get(jobId);
    if (cached && cached.until > this.options.now()) return cached.verdict;
    const running = this.inFlight.get(jobId);
    if (running) return running;
    const work = this.read(jobId).finally(() => this.inFlight.delete(jobId));
    this.inFlight.set(jobId, work);
    return work;
  }

  private async read(jobId: string): Promise<JobVerdict> {
    let job: SessionJobView | undefined;
    try {
      job = await this.options.read(BigInt(jobId));
    } catch (error) {
      this.options.onReadError?.(jobId, error as Error);
      return this.remember(jobId, { ok: true, note: "job not checked: the chain could not be read" }, TTL.unread);
    }
    if (!job || ZERO_ADDRESS.test(job.host))
      return this.remember(jobId, { ok: false, code: "JOB_NOT_FOUND", message: `Job ${jobId} does not exist` }, TTL.missing);
    if (job.host.toLowerCase() !== this.options.hostAddress.toLowerCase()) {
      return this.remember(jobId, { ok: false, code: "JOB_WRONG_HOST", message: `Job ${jobId} was opened for another host` }, TTL.final);
    }
    if (job.status !== SessionStatus.Active)
      return this.remember(jobId, { ok: false, code: "JOB_NOT_ACTIVE", message: `Job ${jobId} is no longer active` }, TTL.final);
    const floor = this.options.floor?.(job);
    if (floor?.enforced)
      return this.remember(
        jobId,
        { ok: false, code: "JOB_BELOW_FLOOR", message: `Job ${jobId} pays less than this host serves for: ${floor.below}` },
        TTL.final,
      );
    if (floor) this.options.onBelowFloor?.(jobId, floor.below);
    return this.remember(jobId, floor ? { ok: true, note: floor.below } : { ok: true }, TTL.accepted);
  }

  private remember(jobId: string, verdict: JobVerdict, ttl: number): JobVerdict {
    const limit = this.options.cacheLimit ?? 10_000;
    if (this.cache.size >= limit) {
      // Oldest first: a Map iterates in insertion order.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.delete(jobId);
    this.cache.set(jobId, { verdict, until: this.options.now() + ttl });
    return verdict;
  }
}

/**
 * The job floor from `economics.minJobValue` (wei): an ETH job's checkpoint is worth `pricePerToken × proofInterval /
 * PRICE_PRECISION` wei (at most the deposit); a checkpoint worth less than the floor, or than the gas of the proof
 * that claims it (`proofCostWei`), loses money. A configured floor refuses such jobs; without one (the default) the
 * gas comparison only warns. Jobs paid in a token are not compared (no price feed here).
 */
export function checkpointFloor(minJobValueWei: bigint | null, proofCostWei: () => bigint): JobFloor {
  return (job) => {
    if (!ZERO_ADDRESS.test(job.paymentToken)) return undefined;
    let value = paymentFor(job.proofInterval, job.pricePerToken);
    if (value > job.deposit) value = job.deposit;
    const floor = minJobValueWei ?? proofCostWei();
    if (value >= floor) return undefined;
    return {
      below: `a checkpoint earns ${value} wei, under the ${minJobValueWei === null ? "gas of its proof" : "configured floor"} (${floor} wei)`,
      enforced: minJobValueWei !== null,
    };
  };
}
