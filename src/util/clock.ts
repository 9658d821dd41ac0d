/** Time as an effect, so tests can run days of retries and schedules in milliseconds. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
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

export const systemClock: Clock = {
  now: () => Date.now(),
  every: realEvery,
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
