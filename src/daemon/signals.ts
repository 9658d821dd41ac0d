/**
 * Signals as an effect, so the host loop can be driven by tests without signalling the test runner itself.
 *   SIGTERM, SIGINT: stop (drain first); a second one stops at once.
 *   SIGHUP: reload the configuration.
 */
export type HostSignal = "SIGTERM" | "SIGINT" | "SIGHUP";

export interface SignalSource {
  /** Subscribes; returns the unsubscribe function. */
  on(signal: HostSignal, handler: () => void): () => void;
}

export function processSignals(): SignalSource {
  return {
    on(signal, handler) {
      // Windows has no SIGHUP to deliver (only console close): subscribing is harmless, it just never fires.
      process.on(signal, handler);
      return () => process.off(signal, handler);
    },
  };
}

/** A signal source a test fires by hand. */
export class ManualSignals implements SignalSource {
  private readonly handlers = new Map<HostSignal, Set<() => void>>();

  on(signal: HostSignal, handler: () => void): () => void {
    let set = this.handlers.get(signal);
    if (!set) this.handlers.set(signal, (set = new Set()));
    set.add(handler);
    return () => set!.delete(handler);
  }

  fire(signal: HostSignal): void {
    for (const handler of [...(this.handlers.get(signal) ?? [])]) handler();
  }

  listenerCount(signal: HostSignal): number {
    return this.handlers.get(signal)?.size ?? 0;
  }
}
