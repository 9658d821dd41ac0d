/**
 * When to restart the node, and when to stop trying.
 *  - Backoff: initial × factor^(attempt-1), capped, with ±jitter so a fleet of hosts does not restart in lockstep.
 *  - Attempts reset once the node has stayed up for `stableAfterMs`.
 *  - Crash loop: `maxCrashes` failures (crashes and hangs) within `windowMs` → give up and say so.
 */
export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0.2 = the delay varies by up to ±20 %. */
  jitter: number;
}

export interface CrashLoopSettings {
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.2 };
export const DEFAULT_CRASH_LOOP: CrashLoopSettings = { maxCrashes: 5, windowMs: 10 * 60_000 };

export function backoffDelay(attempt: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const base = Math.min(settings.maxMs, settings.initialMs * settings.factor ** Math.max(0, attempt - 1));
  const spread = base * settings.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

export class RestartPolicy {
  private failures: number[] = [];
  private attempt = 0;

  constructor(
    private readonly backoff: BackoffSettings,
    private readonly crashLoop: CrashLoopSettings,
    private readonly stableAfterMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Records a failure at `now` (the node had been ready since `readySince`, if ever) and decides:
   * a delay before the next try, or a crash loop.
   */
  onFailure(now: number, readySince: number | undefined): { action: "restart"; attempt: number; delayMs: number } | { action: "give-up"; failures: number } {
    if (readySince !== undefined && now - readySince >= this.stableAfterMs) this.attempt = 0;
    this.failures = this.failures.filter((at) => now - at < this.crashLoop.windowMs);
    this.failures.push(now);
    if (this.failures.length >= this.crashLoop.maxCrashes) return { action: "give-up", failures: this.failures.length };
    this.attempt += 1;
    return { action: "restart", attempt: this.attempt, delayMs: backoffDelay(this.attempt, this.backoff, this.random) };
  }

  reset(): void {
    this.failures = [];
    this.attempt = 0;
  }
}
