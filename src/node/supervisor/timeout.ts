/**
 * Waiting with a limit. The timer is cleared as soon as the awaited thing settles: a pending timer keeps the event
 * loop alive, and a host that has stopped everything must exit at once, not when a forgotten grace period ends.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms))));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const TIMED_OUT: unique symbol = Symbol("timed out");
