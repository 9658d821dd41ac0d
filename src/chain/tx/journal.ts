/**
 * The transaction journal (an outbox on disk): one JSON file per intent, replaced atomically at every step.
 *
 * Why one file per intent rather than an append-only log: an intent is rewritten five or six times and looked up by
 * its key before every submit; a file per intent gives that lookup for free, needs no replay or compaction, and a
 * damaged file affects one intent only. Each write goes to a temporary file, is fsynced, renamed over the old one, and
 * the directory is fsynced: after a crash the file is either the old step or the new one, never half of each.
 *
 * Layout, per chain and sender address: `active/` holds unfinished intents (the nonce allocator and `recover()` read
 * only these, so they stay fast however many proofs a host has sent), `done/` holds confirmed and failed ones,
 * `locks/` holds the pid lock files.
 */
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostError } from "../../errors/host-error.ts";
import type { IntentRecord } from "./types.ts";
import { writeSynced } from "../../util/atomic-write.ts";

const FINAL_STATES = new Set(["confirmed", "failed"]);
let tmpCounter = 0;

export class IntentJournal {
  readonly dir: string;
  readonly activeDir: string;
  readonly doneDir: string;
  readonly locksDir: string;

  /** `root` is `<stateDir>/tx-journal`; intents are kept apart per chain and per sending address. */
  constructor(root: string, chainId: number, address: string) {
    this.dir = join(root, `${chainId}-${address.toLowerCase()}`);
    this.activeDir = join(this.dir, "active");
    this.doneDir = join(this.dir, "done");
    this.locksDir = join(this.dir, "locks");
    for (const dir of [root, this.dir, this.activeDir, this.doneDir, this.locksDir]) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      } catch (cause) {
        throw journalError(`cannot create ${dir}`, cause);
      }
    }
    removeStaleTemps([this.activeDir, this.doneDir]);
  }

  static fileName(key: string): string {
    return `${createHash("sha256").update(key).digest("hex").slice(0, 40)}.json`;
  }

  intentLockPath(key: string): string {
    return join(this.locksDir, IntentJournal.fileName(key).replace(/\.json$/, ".lock"));
  }

  get nonceLockPath(): string {
    return join(this.locksDir, "nonce.lock");
  }

  /** The newest record for this key, wherever it lives. */
  read(key: string): IntentRecord | undefined {
    const name = IntentJournal.fileName(key);
    const active = this.readFile(join(this.activeDir, name));
    const done = this.readFile(join(this.doneDir, name));
    if (active && done) return active.updatedAt >= done.updatedAt ? active : done;
    return active ?? done;
  }

  /** Writes the record durably; a finished record moves from active/ to done/. */
  write(record: IntentRecord): void {
    const name = IntentJournal.fileName(record.key);
    const final = FINAL_STATES.has(record.state);
    const target = join(final ? this.doneDir : this.activeDir, name);
    const stale = join(final ? this.activeDir : this.doneDir, name);
    try {
      atomicWrite(target, JSON.stringify(record, null, 2));
      fsyncDir(final ? this.doneDir : this.activeDir);
      // The other folder changes only when a record moves (finished, or planned again after a failure).
      if (removeIfPresent(stale)) fsyncDir(final ? this.activeDir : this.doneDir);
    } catch (cause) {
      throw journalError(`cannot write ${target}`, cause);
    }
  }

  /** Unfinished intents, oldest first. */
  listActive(): IntentRecord[] {
    return this.list(this.activeDir).sort((a, b) => a.createdAt - b.createdAt);
  }

  listDone(): IntentRecord[] {
    return this.list(this.doneDir).sort((a, b) => a.updatedAt - b.updatedAt);
  }

  /** Deletes finished records last changed before `cutoff` (ms since epoch); returns how many. */
  prune(cutoff: number): number {
    let removed = 0;
    for (const record of this.listDone()) {
      if (record.updatedAt >= cutoff) continue;
      removeIfPresent(join(this.doneDir, IntentJournal.fileName(record.key)));
      removed += 1;
    }
    return removed;
  }

  private list(dir: string): IntentRecord[] {
    let names: string[];
    try {
      names = readdirSync(dir).filter((name) => name.endsWith(".json"));
    } catch (cause) {
      throw journalError(`cannot list ${dir}`, cause);
    }
    const records: IntentRecord[] = [];
    for (const name of names) {
      const record = this.readFile(join(dir, name));
      if (record) records.push(record);
    }
    return records;
  }

  private readFile(path: string): IntentRecord | undefined {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw journalError(`cannot read ${path}`, error);
    }
    try {
      const record = JSON.parse(text) as IntentRecord;
      if (record.version !== 1 || typeof record.key !== "string") throw new Error("not an intent record");
      return record;
    } catch (cause) {
      throw journalError(`${path} is damaged`, cause);
    }
  }
}

/**
 * A write cut short by kill -9 leaves `<name>.json.<pid>.<n>.tmp` behind. The rename never happened, so the intent's
 * real file is intact; the temp file is garbage once its process is gone.
 */
function removeStaleTemps(dirs: string[]): void {
  for (const dir of dirs) {
    for (const name of readdirSync(dir)) {
      const match = /\.json\.(\d+)\.\d+\.tmp$/.exec(name);
      if (!match || processAlive(Number(match[1]))) continue;
      try {
        unlinkSync(join(dir, name));
      } catch {
        // Another process cleaned it up first.
      }
    }
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  writeSynced(tmp, text, "w");
  renameSync(tmp, path);
}

function fsyncDir(dir: string): void {
  // Makes the rename itself durable. Some platforms (Windows) cannot open a directory: the rename is still atomic.
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    /* best effort */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function removeIfPresent(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return false;
  }
}

function journalError(what: string, cause: unknown): HostError {
  return new HostError(ChainErrors.JOURNAL_IO, `Transaction journal: ${what}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
}
