/**
 * `logs -f`: prints lines as they are appended, across rotations, until the signal aborts (Ctrl-C).
 * Polls instead of fs.watch, which misses events on network file systems and after a directory is recreated.
 * A rotated file is read to its end through the descriptor we hold, so no line is lost at a rotation.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseLogFileName } from "./log-files.ts";
import { entryMatches, type LogFilter } from "./filters.ts";
import { parseLogLine, sortEntries, type LogEntry } from "./log-entry.ts";

interface Tracked {
  fd: number;
  ino: number;
  offset: number;
  partial: string;
  component: string;
}

declare module "../../context.ts" {
  interface HostServices {
    /** How often `logs --follow` looks for new lines, in milliseconds (default 500; tests go faster). */
    logsPollMs?: number;
  }
}

export interface FollowOptions {
  logsDir: string;
  filter: LogFilter;
  signal: AbortSignal;
  onEntries: (entries: LogEntry[]) => void;
  pollMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

function readNew(tracked: Tracked, into: string[]): void {
  const chunk = Buffer.alloc(64 * 1024);
  for (;;) {
    const read = readSync(tracked.fd, chunk, 0, chunk.length, tracked.offset);
    if (read <= 0) break;
    tracked.offset += read;
    const text = tracked.partial + chunk.subarray(0, read).toString("utf8");
    const lines = text.split("\n");
    tracked.partial = lines.pop() ?? "";
    into.push(...lines);
  }
}

export async function followLogs(options: FollowOptions): Promise<void> {
  const tracked = new Map<string, Tracked>();
  const sleep = options.sleep ?? defaultSleep;
  let first = true;
  try {
    while (!options.signal.aborted) {
      const batch: LogEntry[] = [];
      let names: string[] = [];
      try {
        names = readdirSync(options.logsDir);
      } catch {
        // The directory is missing for now (not created yet, or being recreated): try again next round.
      }
      for (const name of names) {
        const parsed = parseLogFileName(name);
        if (!parsed?.active) continue;
        const components = options.filter.components;
        if (components && components.length > 0 && !components.includes(parsed.component)) continue;
        const path = join(options.logsDir, name);
        let current: Tracked | undefined = tracked.get(path);
        let ino: number;
        try {
          ino = statSync(path).ino;
        } catch {
          continue;
        }
        const lines: string[] = [];
        if (current && current.ino !== ino) {
          readNew(current, lines); // the rest of the rotated file
          closeSync(current.fd);
          tracked.delete(path);
          current = undefined;
        }
        if (!current) {
          const fd = openSync(path, "r");
          // Files present at start were already shown by the tail; files that appear later are new from byte 0.
          current = { fd, ino: fstatSync(fd).ino, offset: first ? fstatSync(fd).size : 0, partial: "", component: parsed.component };
          tracked.set(path, current);
        } else if (fstatSync(current.fd).size < current.offset) {
          current.offset = 0; // truncated in place
        }
        readNew(current, lines);
        for (const line of lines) {
          const entry = parseLogLine(line, current.component);
          if (entry && entryMatches(entry, options.filter)) batch.push(entry);
        }
      }
      first = false;
      if (batch.length > 0) options.onEntries(sortEntries(batch));
      await sleep(options.pollMs ?? 500, options.signal);
    }
  } finally {
    for (const entry of tracked.values()) closeSync(entry.fd);
  }
}
