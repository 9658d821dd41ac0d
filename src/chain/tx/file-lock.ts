/**
 * Lock files that die with their process: the file holds the owner's pid, and a lock whose owner is gone (kill -9, a
 * crash) is taken over. Creation with O_EXCL is atomic on every local filesystem.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { uptime } from "node:os";
import type { Clock } from "../../util/clock.ts";

export type Release = () => void;

export function tryLock(path: string): Release | undefined {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, at: Date.now() }));
      } finally {
        closeSync(fd);
      }
      return () => release(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = lockOwner(path);
      if (owner !== undefined && isAlive(owner.pid) && !fromBeforeBoot(owner.at)) return undefined;
      // No pid yet: its creator may be between open and write. Only a file that stays empty is abandoned.
      if (owner === undefined && ageMs(path) < 2000) return undefined;
      // The owner is gone (or the file is half-written by a process that died): take over.
      try {
        unlinkSync(path);
      } catch {
        /* someone else took it over first; try again */
      }
    }
  }
  return undefined;
}

/** Waits (polling) for a lock held by another live process; gives up after `timeoutMs`. */
export async function lockWithin(path: string, timeoutMs: number, clock: Clock): Promise<Release | undefined> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const release = tryLock(path);
    if (release) return release;
    if (clock.now() >= deadline) return undefined;
    await clock.sleep(10);
  }
}

function release(path: string): void {
  try {
    if (lockOwner(path)?.pid === process.pid) unlinkSync(path);
  } catch {
    /* already gone */
  }
}

function lockOwner(path: string): { pid: number; at: number } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown; at?: unknown };
    return typeof parsed.pid === "number" ? { pid: parsed.pid, at: typeof parsed.at === "number" ? parsed.at : 0 } : undefined;
  } catch {
    return undefined;
  }
}

/** A lock written before the machine booted belongs to a process of an earlier boot, whatever holds its pid now. */
function fromBeforeBoot(at: number): boolean {
  return at < Date.now() - uptime() * 1000 - 5000;
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
