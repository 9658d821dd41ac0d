/**
 * The proof pipeline: turns what the session monitor saw into proofs and settlements on chain, exactly once each.
 *
 * One code path for both signer modes; only who acts first differs. In `cli` mode the pipeline submits every due
 * checkpoint as soon as it is due. In `node` mode the node submits its own and the pipeline is the safety net: it acts
 * when the node left a due checkpoint or settlement undone past a grace period, or when the node died with the session.
 * A proof that lost the race to the node is recognised on chain (tokensUsed already there) and never retried.
 */
import type { SessionEvent } from "../session/monitor.ts";
import type { OnChainSession } from "./chain-port.ts";
import type { ProofStep, SessionRecord } from "./journal.ts";
import { checkpointInterval, depositTokens, nextClaim, rateWaitSeconds } from "./rules.ts";
import { NodeWatch, type StepIn } from "./node-first.ts";
import { noteMinimumBilled, paddingOf, reportOverBilling } from "./minimum-billing.ts";
import { readNodeCheckpoints } from "./material.ts";
import { GasGate, type GasPolicy } from "./gas-policy.ts";
import { submitClaim } from "./submit.ts";
import { ChainClock } from "./chain-clock.ts";
import { recoveredRecords } from "./recovery.ts";
import type { PipelineOptions } from "./pipeline-types.ts";
import { settle } from "./settlement.ts";
import { owedBeforeNode } from "./resume.ts";
import { pendingProof, recountFromNode, supersedeFoundJob, type InFlightDeps } from "./in-flight.ts";
import { stepInForNode } from "./step-in.ts";
import { openSession, type SessionOpenDeps } from "./session-open.ts";
import { failStep, finishSession, stopProofs, type OutcomeDeps } from "./outcomes.ts";

export type { PipelineOptions, PipelineMetric } from "./pipeline-types.ts";

export class ProofPipeline {
  private readonly records = new Map<string, SessionRecord>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly rerun = new Set<string>();
  /** Each session's next look, as the clock's cancel function. */
  private readonly timers = new Map<string, () => void>();
  /** Static session facts (interval, start, window) are read once; tokensUsed is tracked locally and re-read on doubt. */
  private readonly sessions = new Map<string, OnChainSession>();
  private readonly dueAt = new Map<string, number>();
  /** Jobs whose cached lastProofTime is only our estimate (a proof just landed): read from the chain before deciding. */
  private readonly staleTimes = new Set<string>();
  private readonly chainClock: ChainClock;
  private disputeWindowSeconds: number | undefined;
  private readonly nodeWatch: NodeWatch;
  private readonly gasGate: GasGate;
  /**
   * Sessions the monitor of this process counted, with the base its totals add to (0, or the count a session had
   * when it came back after a restart): see resume.ts.
   */
  private readonly bases = new Map<string, number>();
  /** What the front delivered per session, seen by this process (noteDelivered). */
  private readonly delivered = new Map<string, number>();
  private lastPersist = new Map<string, number>();
  private stopped = false;

  constructor(private readonly options: PipelineOptions) {
    this.nodeWatch = new NodeWatch(options);
    this.chainClock = new ChainClock(options.chain, options.clock);
    this.gasGate = new GasGate(options);
  }

  /** Feeds one monitor event in. Lifecycle events are journaled at once; token counts at checkpoint boundaries. */
  handle(event: SessionEvent): void {
    const now = this.options.clock.now();
    const record = this.records.get(event.sessionId);
    if (event.type === "session_opened") return openSession(this.sessionOpenDeps(), event);
    if (!record || record.finished) return;
    switch (event.type) {
      case "session_acked":
        if (event.jobId && !record.jobId) {
          record.jobId = event.jobId;
          this.persist(record);
          this.supersedeFound(event.jobId);
        }
        return;
      case "tokens":
      case "request_completed": {
        const before = record.generated;
        record.generated = Math.max(record.generated, this.noteDelivered(record.sessionId, event.total));
        this.options.journal.noteCount(record.sessionId, record.generated);
        const interval = this.sessions.get(record.jobId ?? "") ? checkpointInterval(this.sessions.get(record.jobId!)!.proofInterval) : 100;
        // Checkpoints fall on the chain's count, which a padded first claim moved ahead of the served one.
        const padding = record.proofs.length > 0 ? paddingOf(record) : 0;
        const crossed = Math.floor((record.generated + padding) / interval) > Math.floor((before + padding) / interval);
        if (crossed && !this.dueAt.has(record.sessionId)) this.dueAt.set(record.sessionId, now);
        // A due checkpoint is journaled by submit() before anything is sent; in between, counts are persisted at most
        // once a second (a crash loses at most a second of counts, which the chain and the node's checkpoints bound).
        if (crossed) this.kick(record.sessionId);
        else if (event.type === "request_completed" || now - (this.lastPersist.get(record.sessionId) ?? 0) > 1000) this.persist(record);
        return;
      }
      case "session_closed":
        record.generated = Math.max(record.generated, this.noteDelivered(record.sessionId, event.total));
        record.ended = true;
        record.endReason = event.reason;
        record.endedAt = event.at;
        this.persist(record);
        this.kick(record.sessionId);
        return;
    }
  }

  /** After a restart: every unfinished session from the journal, plus this host's active jobs the journal never saw. */
  async recover(): Promise<number> {
    for (const record of await recoveredRecords(this.options)) {
      this.records.set(record.sessionId, record);
      this.persist(record);
    }
    for (const sessionId of this.records.keys()) this.kick(sessionId);
    return this.records.size;
  }

  /** Schedules work for one session; calls for a session already running are coalesced into one more pass. */
  kick(sessionId: string): void {
    if (this.stopped) return;
    if (this.running.has(sessionId)) {
      this.rerun.add(sessionId);
      return;
    }
    const run = (async () => {
      do {
        this.rerun.delete(sessionId);
        await this.process(sessionId).catch((error) => {
          // A read that failed (RPC down, node away) is not a verdict on the session: look again shortly.
          this.options.logger.warn("proof pipeline could not check a session; retrying", { sessionId, error: (error as Error).message });
          this.later(sessionId, this.options.clock.now() + (this.options.backoffMs?.max ?? 60_000) / 12);
        });
      } while (this.rerun.has(sessionId) && !this.stopped);
    })().finally(() => this.running.delete(sessionId));
    this.running.set(sessionId, run);
  }

  private later(sessionId: string, atMs: number): void {
    this.timers.get(sessionId)?.();
    const cancel = this.options.clock.after(atMs - this.options.clock.now(), () => {
      this.timers.delete(sessionId);
      this.kick(sessionId);
    });
    this.timers.set(sessionId, cancel);
  }

  private chainNow(): Promise<number> {
    return this.chainClock.now();
  }

  private async process(sessionId: string): Promise<void> {
    const record = this.records.get(sessionId);
    if (!record || record.finished || record.stopped) return;
    const now = this.options.clock.now();
    if (record.nextAttemptAt && record.nextAttemptAt > now) return this.later(sessionId, record.nextAttemptAt);
    if (!record.jobId && !(await this.resolveJob(record))) return;
    if (record.endReason === "host_restarted" && !record.recounted) await recountFromNode(record, this.inFlightDeps());
    const jobId = record.jobId!;
    const nodeActsFirst =
      this.options.signer === "node" && record.endReason !== "node_closed" && record.endReason !== "host_restarted" && record.endReason !== "found_on_chain";
    let session = this.sessions.get(jobId);
    if (!session || nodeActsFirst || record.attempts > 0 || this.staleTimes.has(jobId)) {
      this.staleTimes.delete(jobId);
      session = await this.options.chain.readSession(jobId);
      if (!session) return stopProofs(this.outcomeDeps(), record, `job ${jobId} does not exist on this network`);
      if (session.host.toLowerCase() !== this.options.chain.hostAddress.toLowerCase())
        return stopProofs(this.outcomeDeps(), record, `job ${jobId} belongs to another host (${session.host})`);
      this.sessions.set(jobId, session);
    }
    if (session.status !== "active") return this.finish(record, "other", session.status);
    const provenBefore = record.proven;
    record.proven = Math.max(record.proven, session.tokensUsed);
    // The node is proving (slowly, perhaps: one proof a second under the rate rule): its grace starts again.
    if (nodeActsFirst && record.proven > provenBefore) record.dueSince = undefined;

    const pending = await pendingProof(record, session, this.inFlightDeps());
    if (noteMinimumBilled(record, now)) this.persist(record);
    const padding = paddingOf(record);
    // Tokens the chain has proven were served, even when our count lagged (a crash between persists); a padded first
    // claim's padding was not.
    record.generated = Math.max(record.generated, record.proven - padding);
    const maxTokens = depositTokens(session.deposit, session.pricePerToken);
    let claim: StepIn = pending
      ? { tokens: pending.tokens, padding: pending.padding ?? 0, material: pending.material }
      : nextClaim({ served: record.generated, proven: record.proven, padding, proofInterval: session.proofInterval, ended: record.ended, maxTokens });
    const owed = nodeActsFirst && !pending ? owedBeforeNode(record, session, padding, maxTokens) : undefined;
    // What the node before this one served is the CLI's to prove, at once, with material of its own (claim-material.ts).
    if (owed) claim = owed;
    else if (claim.tokens > 0 && nodeActsFirst && !pending) {
      const step = await stepInForNode(this.passDeps(), record, session, { claim, padding, maxTokens, now });
      if ("waitUntil" in step) return this.later(sessionId, step.waitUntil);
      claim = step;
    }
    if (claim.tokens > 0) {
      const chainNow = await this.chainNow();
      if (!pending && !record.ended && this.options.signer === "cli" && (await this.gasSaysWait(record, session, claim.tokens, chainNow))) return;
      const wait = rateWaitSeconds(claim.tokens, session.lastProofTime, chainNow);
      if (wait > 0) return this.later(sessionId, now + wait * 1000);
      await this.submit(record, session, claim, chainNow, pending);
      if (!record.stopped && !this.stopped) this.rerun.add(sessionId);
      return;
    }
    if (record.ended) await settle(this.passDeps(), record, session, nodeActsFirst);
  }

  /** Gas-aware proving (gas-policy.ts): true when the due claim waits, with a wake-up before the proof timeout. */
  private async gasSaysWait(record: SessionRecord, session: OnChainSession, tokens: number, chainNow: number): Promise<boolean> {
    const wakeAt = await this.gasGate.wakeAt(record, session, tokens, chainNow);
    if (wakeAt === undefined) return false;
    this.persist(record);
    this.later(record.sessionId, wakeAt);
    return true;
  }

  private submit(record: SessionRecord, session: OnChainSession, due: StepIn, chainNow: number, again?: ProofStep): Promise<void> {
    const ctx = {
      options: this.options,
      dueAt: this.dueAt,
      staleTimes: this.staleTimes,
      persist: (r: SessionRecord) => this.persist(r),
      onFailure: (r: SessionRecord, e: Error, key: string) => this.onFailure(r, e, key),
    };
    return submitClaim(ctx, record, session, due, chainNow, again);
  }

  /** Shared by proofs and settlements (outcomes.ts). */
  onFailure(record: SessionRecord, error: Error, key: string): void {
    failStep(this.outcomeDeps(), record, error, key);
  }

  finish(record: SessionRecord, by: "cli" | "node" | "other", status: string): void {
    const session = this.sessions.get(record.jobId ?? "");
    const delivered = this.delivered.get(record.sessionId);
    this.delivered.delete(record.sessionId);
    if (session && delivered !== undefined) reportOverBilling(this.options, record, session, delivered);
    finishSession(this.outcomeDeps(), record, by, status);
  }

  /**
   * The count the front delivered to the client, as this process saw it (the record's count may be raised to what the
   * chain proves, to recover counts a crash lost; this one never is). Returns it.
   */
  private noteDelivered(sessionId: string, total: number): number {
    const count = Math.max(this.delivered.get(sessionId) ?? 0, (this.bases.get(sessionId) ?? 0) + total);
    this.delivered.set(sessionId, count);
    return count;
  }

  private async resolveJob(record: SessionRecord): Promise<boolean> {
    const index = await readNodeCheckpoints(this.options.fetch, this.options.nodeUrl, record.sessionId);
    if (index?.jobId) {
      record.jobId = index.jobId;
      this.persist(record);
      this.supersedeFound(index.jobId);
      return true;
    }
    // Encrypted sessions carry their job id inside the ciphertext; until the node's checkpoints name it, try again.
    if (!record.ended || this.options.clock.now() - (record.endedAt ?? 0) < 10 * 60_000) this.later(record.sessionId, this.options.clock.now() + 2000);
    return false;
  }

  private supersedeFound(jobId: string): void {
    supersedeFoundJob(jobId, this.records, this.timers, (record) => this.persist(record));
  }

  private inFlightDeps(): InFlightDeps {
    return {
      chain: this.options.chain,
      fetch: this.options.fetch,
      nodeUrl: this.options.nodeUrl,
      logger: this.options.logger,
      persist: (r) => this.persist(r),
    };
  }

  private sessionOpenDeps(): SessionOpenDeps {
    return {
      options: this.options,
      records: this.records,
      bases: this.bases,
      persist: (r) => this.persist(r),
      kick: (id) => this.kick(id),
      supersedeFound: (jobId) => this.supersedeFound(jobId),
    };
  }

  private outcomeDeps(): OutcomeDeps {
    return { options: this.options, records: this.records, sessions: this.sessions, later: (id, at) => this.later(id, at), persist: (r) => this.persist(r) };
  }

  /** What settlement.ts and step-in.ts reach of the pipeline (each module declares its part). */
  private passDeps() {
    return {
      options: this.options,
      nodeWatch: this.nodeWatch,
      chainNow: () => this.chainNow(),
      later: (id: string, at: number) => this.later(id, at),
      persist: (r: SessionRecord) => this.persist(r),
      finish: (r: SessionRecord, by: "cli" | "node" | "other", status: string) => this.finish(r, by, status),
      onFailure: (r: SessionRecord, e: Error, key: string) => this.onFailure(r, e, key),
      disputeWindow: () => this.disputeWindow(),
    };
  }

  private async disputeWindow(): Promise<number> {
    return (this.disputeWindowSeconds ??= await this.options.chain.disputeWindow());
  }

  persist(record: SessionRecord): void {
    this.lastPersist.set(record.sessionId, this.options.clock.now());
    try {
      this.options.journal.save(record);
    } catch (error) {
      this.options.logger.error("could not write the proof journal", { sessionId: record.sessionId, error: (error as Error).message });
    }
  }

  /** Sessions the pipeline is still working on. */
  snapshot(): SessionRecord[] {
    return [...this.records.values()].map((r) => structuredClone(r));
  }

  /** Waits for in-flight submissions (drain on SIGTERM), up to the deadline. Unsent work stays journaled. */
  async drain(deadlineMs: number): Promise<void> {
    const until = this.options.clock.now() + deadlineMs;
    while (this.running.size > 0 && this.options.clock.now() < until) await Promise.race([...this.running.values(), Bun.sleep(50)]);
    this.stop_();
  }

  /** A reloaded config (SIGHUP): the new grace period applies from each session's next check. */
  setGraceMs(ms: number): void {
    this.options.graceMs = ms;
  }

  /** A reloaded gas-aware policy (SIGHUP) applies from each session's next due checkpoint. */
  setGasPolicy(policy: GasPolicy): void {
    this.options.gasPolicy = policy;
  }

  stop_(): void {
    this.stopped = true;
    this.options.journal.closeCounts();
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }
}
