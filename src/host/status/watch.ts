/** `status --watch`: one snapshot now and one every interval until the signal fires (Ctrl-C). */
import { HostError } from "../../errors/host-error.ts";
import { HostLedgerErrors } from "../../errors/codes/host-ledger.ts";
import type { Clock } from "../../util/clock.ts";

export const DEFAULT_WATCH_SECONDS = 5;

/** `--watch` alone (true), `--watch=N`, or `--watch N` (N arrives as the positional). */
export function watchInterval(flag: string | boolean | undefined, positional: string | undefined): number | null {
  if (flag === undefined || flag === false) {
    if (positional !== undefined) {
      throw new HostError(HostLedgerErrors.WATCH_INTERVAL_INVALID, `"${positional}" is not an argument of status; did you mean --watch ${positional}?`);
    }
    return null;
  }
  const text = typeof flag === "string" ? flag : positional;
  if (text === undefined) return DEFAULT_WATCH_SECONDS;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || seconds < 1 || seconds > 3600) {
    throw new HostError(HostLedgerErrors.WATCH_INTERVAL_INVALID, `--watch ${text}: expected whole seconds from 1 to 3600.`);
  }
  return seconds;
}

export interface WatchLoopOptions {
  intervalSeconds: number;
  signal: AbortSignal;
  clock: Clock;
  /** Takes and shows one snapshot; a thrown error ends the loop. */
  tick(): Promise<void>;
}

export async function watchLoop(options: WatchLoopOptions): Promise<void> {
  while (!options.signal.aborted) {
    const started = options.clock.now();
    await options.tick();
    const wait = Math.max(0, options.intervalSeconds * 1000 - (options.clock.now() - started));
    try {
      await options.clock.sleep(wait, options.signal);
    } catch {
      return; // aborted while waiting
    }
  }
}
