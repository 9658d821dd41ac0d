/**
 * The proof journal: one small JSON file per session under `<state>/proofs/`, replaced atomically at every step that
 * matters (session seen, checkpoint decided, proof sent, proof landed, settlement). After a crash or kill -9 the
 * pipeline rebuilds every unfinished session from here and from the chain, so no proof is lost and none is sent twice
 * (every send carries an idempotency key the chain layer's outbox honours). Between two records, the latest token count
 * of each open session goes to a small `<session>.count` file as it is noted (see `noteCount`).
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { atomicWriteFileSync } from "../util/atomic-write.ts";
import type { ProofMaterial } from "./chain-port.ts";

export type ProofStepState = "sending" | "landed" | "failed";

export interface ProofStep {
  key: string;
  /** Tokens claimed by this proof, and the session's proven total once it lands. */
  tokens: number;
  cumulative: number;
  state: ProofStepState;
  txHash?: string;
  by: "cli" | "node";
  error?: string;
  at: number;
  /** What the proof carries (public data), so a proof sent again after a crash is the same transaction. */
  material?: ProofMaterial;
  /** Tokens of this claim beyond what was served: a short session's first claim padded to its proofInterval. */
  padding?: number;
}

export interface SessionRecord {
  sessionId: string;
  jobId?: string;
  encrypted: boolean;
  /** Tokens the monitor saw the node generate. */
  generated: number;
  /** Tokens proven on chain (the contract's tokensUsed) as last seen. */
  proven: number;
  ended: boolean;
  endReason?: string;
  openedAt: number;
  endedAt?: number;
  /** Set once the node's own count was taken after a restart (the journal's count may lag by up to a second). */
  recounted?: boolean;
  /** How many times the session came back after it ended (a new socket, a host restart): see resume.ts. */
  resumed?: number;
  /** Node mode: tokens served before the node now serving the session took it over (it counts from 0). */
  nodeBase?: number;
  /** Proof hashes the chain refused as already used for a claim that did not land (see resume.ts, burnHash). */
  burnedHashes?: string[];
  /** When the current checkpoint became due: in node mode the node gets a grace period from here. */
  dueSince?: number;
  proofs: ProofStep[];
  /**
   * Set once a padded first claim landed: the session is billed its proofInterval though fewer tokens were served
   * (minimum billing). `status` and the ledger read it from here.
   */
  minimumBilled?: { served: number; billed: number; at: number };
  settlement?: { key: string; kind: "complete" | "timeout"; state: ProofStepState | "by-other"; txHash?: string; at: number };
  /** A permanent failure: the reason is logged and alerted; the pipeline leaves this session alone. */
  stopped?: { reason: string; at: number };
  /** Finished sessions (settled on chain) are moved out of the active folder. */
  finished: boolean;
  attempts: number;
  nextAttemptAt?: number;
}

/** Fixed width, so a count is rewritten in place: a file is never truncated, never half a number. */
const COUNT_WIDTH = 20;

export class ProofJournal {
  private readonly active: string;
  private readonly done: string;
  private readonly counts = new Map<string, { value: number; written: number; fd?: number }>();

  constructor(stateDir: string) {
    this.active = join(stateDir, "proofs", "active");
    this.done = join(stateDir, "proofs", "finished");
    mkdirSync(this.active, { recursive: true, mode: 0o700 });
  }

  private fileFor(sessionId: string): string {
    return join(this.active, `${encodeURIComponent(sessionId)}.json`);
  }

  private countFileFor(sessionId: string): string {
    return join(this.active, `${encodeURIComponent(sessionId)}.count`);
  }

  /**
   * The session's latest token count, cheaply and often. The record is rewritten (synced, renamed) at most once a
   * second; a count noted here reaches `<session>.count` at once by a plain in-place write of 20 bytes, no sync: the
   * kernel's page cache keeps it when this process is killed (SIGKILL, the OOM killer), which is when counts would
   * otherwise be lost. The counts noted are the tokens the client received (src/session/monitor.ts), so the file holds
   * the last delivered count even when host, node and watchdog die together. A power cut may lose it; the chain and
   * the record bound that loss.
   */
  noteCount(sessionId: string, generated: number): void {
    const entry = this.counts.get(sessionId);
    if (entry) entry.value = Math.max(entry.value, generated);
    else this.counts.set(sessionId, { value: generated, written: -1 });
    this.writeCount(sessionId, this.counts.get(sessionId)!);
  }

  /** Writes every count that changed since it was last written (one failed to write before). */
  flushCounts(): void {
    for (const [sessionId, entry] of this.counts) this.writeCount(sessionId, entry);
  }

  private writeCount(sessionId: string, entry: { value: number; written: number; fd?: number }): void {
    if (entry.value === entry.written) return;
    try {
      entry.fd ??= openSync(this.countFileFor(sessionId), "w", 0o600);
      writeSync(entry.fd, String(entry.value).padStart(COUNT_WIDTH, " "), 0, "utf8");
      entry.written = entry.value;
    } catch {
      // a full disk or a removed folder: the once-a-second record still carries the count
    }
  }

  /** Flushes and closes the count files (the pipeline stops). */
  closeCounts(): void {
    this.flushCounts();
    for (const entry of this.counts.values()) if (entry.fd !== undefined) closeSync(entry.fd);
    this.counts.clear();
  }

  private dropCount(sessionId: string): void {
    const entry = this.counts.get(sessionId);
    if (entry?.fd !== undefined) closeSync(entry.fd);
    this.counts.delete(sessionId);
    rmSync(this.countFileFor(sessionId), { force: true });
  }

  /** The count file's number, if there is one. */
  private readCount(sessionId: string): number | undefined {
    try {
      const value = Number(readFileSync(this.countFileFor(sessionId), "utf8").trim());
      return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
    } catch {
      return undefined;
    }
  }

  save(record: SessionRecord): void {
    atomicWriteFileSync(this.fileFor(record.sessionId), JSON.stringify(record));
    if (record.finished) {
      this.dropCount(record.sessionId);
      mkdirSync(this.done, { recursive: true, mode: 0o700 });
      renameSync(this.fileFor(record.sessionId), join(this.done, `${encodeURIComponent(record.sessionId)}.json`));
    }
  }

  /** Every unfinished session, as the last write left it. Unreadable files are skipped and reported. */
  loadActive(onCorrupt: (file: string, error: Error) => void = () => {}): SessionRecord[] {
    if (!existsSync(this.active)) return [];
    const records: SessionRecord[] = [];
    for (const name of readdirSync(this.active)) {
      if (name.endsWith(".tmp")) this.sweepTemp(name);
      if (!name.endsWith(".json")) continue;
      try {
        const record = JSON.parse(readFileSync(join(this.active, name), "utf8")) as SessionRecord;
        // The count file may be ahead of the record by up to a second of tokens (a kill between two records).
        record.generated = Math.max(record.generated ?? 0, this.readCount(record.sessionId) ?? 0);
        records.push(record);
      } catch (error) {
        onCorrupt(name, error as Error);
      }
    }
    return records;
  }

  /**
   * A write cut short by a kill leaves its temp file behind (the record itself is intact: the old version or the new).
   * Those of processes that are gone are removed, so crashes do not pile them up.
   */
  private sweepTemp(name: string): void {
    const pid = Number(/\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid === process.pid || processAlive(pid)) return;
    try {
      unlinkSync(join(this.active, name));
    } catch {
      /* another process swept it first */
    }
  }

  loadFinished(): SessionRecord[] {
    if (!existsSync(this.done)) return [];
    return readdirSync(this.done)
      .filter((name) => name.endsWith(".json"))
      .map((name) => JSON.parse(readFileSync(join(this.done, name), "utf8")) as SessionRecord);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}
