/**
 * The proof journal: one small JSON file per session under `<state>/proofs/`, replaced atomically at every step that
 * matters (session seen, checkpoint decided, proof sent, proof landed, settlement). After a crash or kill -9 the
 * pipeline rebuilds every unfinished session from here and from the chain, so no proof is lost and none is sent twice
 * (every send carries an idempotency key the chain layer's outbox honours).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync } from "node:fs";
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
  /** When the current checkpoint became due: in node mode the node gets a grace period from here. */
  dueSince?: number;
  proofs: ProofStep[];
  settlement?: { key: string; kind: "complete" | "timeout"; state: ProofStepState | "by-other"; txHash?: string; at: number };
  /** A permanent failure: the reason is logged and alerted; the pipeline leaves this session alone. */
  stopped?: { reason: string; at: number };
  /** Finished sessions (settled on chain) are moved out of the active folder. */
  finished: boolean;
  attempts: number;
  nextAttemptAt?: number;
}

export class ProofJournal {
  private readonly active: string;
  private readonly done: string;

  constructor(stateDir: string) {
    this.active = join(stateDir, "proofs", "active");
    this.done = join(stateDir, "proofs", "finished");
    mkdirSync(this.active, { recursive: true, mode: 0o700 });
  }

  private fileFor(sessionId: string): string {
    return join(this.active, `${encodeURIComponent(sessionId)}.json`);
  }

  save(record: SessionRecord): void {
    atomicWriteFileSync(this.fileFor(record.sessionId), JSON.stringify(record));
    if (record.finished) {
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
        records.push(JSON.parse(readFileSync(join(this.active, name), "utf8")) as SessionRecord);
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
