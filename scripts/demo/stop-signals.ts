/**
 * The demo stops everything it started on any of the signals that end a terminal program: Ctrl-C (SIGINT), `kill`
 * or a supervisor (SIGTERM), a closed terminal or SSH session (SIGHUP). Before, only SIGINT was heard while `--keep`
 * waited, and a SIGTERM left the host daemon, its node and anvil running.
 */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];
const SIGNAL_NUMBER: Record<StopSignal, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

export interface SignalStop {
  /** Resolves with the signal once everything has been stopped. */
  stopped: Promise<StopSignal>;
  /** Stops listening (the demo finished on its own and already stopped everything). */
  dispose(): void;
}

/**
 * On the first stop signal, runs every registered `stop` (newest first) once, then calls `exit` with 128 + the
 * signal's number, as a shell reports a program a signal ended. A second signal while stopping is ignored: the
 * clean-up is what ends the demo.
 */
export function stopOnSignals(
  options: { exit?: (code: number) => void; say?: (line: string) => void } = {},
): SignalStop & { add(stop: () => Promise<void> | void): void } {
  const stops: (() => Promise<void> | void)[] = [];
  let settle: (signal: StopSignal) => void = () => {};
  const stopped = new Promise<StopSignal>((resolve) => (settle = resolve));
  let stopping = false;
  const handler = (signal: StopSignal) => {
    if (stopping) return;
    stopping = true;
    options.say?.(`\n${signal}: stopping the host, the node and the devnet …`);
    void (async () => {
      for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
      settle(signal);
      (options.exit ?? ((code) => process.exit(code)))(128 + SIGNAL_NUMBER[signal]);
    })();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return {
    stopped,
    add: (stop) => void stops.push(stop),
    dispose: () => {
      for (const signal of STOP_SIGNALS) process.off(signal, handler);
    },
  };
}
