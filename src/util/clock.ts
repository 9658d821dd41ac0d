/**
 * Time as an effect, so tests can run days of retries and schedules in milliseconds. Schedules (a proof due later, a
 * report window) go through it; deadlines on the outside world (an HTTP request, a child process) stay on real timers,
 * since what they wait for runs in real time.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` once after `ms` unless the returned cancel function runs first; never keeps the process alive. */
  after(ms: number, fn: () => void): () => void;
  /**
   * Calls `fn` every `ms` until the returned stop function is called. The timer never keeps the process alive by
   * itself (a host's schedules end with the host).
   */
  every(ms: number, fn: () => void): () => void;
}

/** The real repeating timer, for clocks that keep real time for their schedules. */
export function realEvery(ms: number, fn: () => void): () => void {
  const timer = setInterval(fn, ms);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}

/** The real one-shot timer, for clocks that keep real time for their schedules. */
export function realAfter(ms: number, fn: () => void): () => void {
  const timer = setTimeout(fn, Math.max(0, ms));
  (timer as { unref?: () => void }).unref?.();
  return () => clearTimeout(timer);
}

export const systemClock: Clock = {
  now: () => Date.now(),
  every: realEvery,
  after: realAfter,
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason ?? new Error("aborted"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
