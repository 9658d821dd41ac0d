/**
 * The stand-in's deliberate failures (SIM_CRASH_AFTER_MS, SIM_CRASH_AFTER_TOKENS,
 * SIM_HANG_AFTER_MS), so the host's supervisor can be tested against a node
 * that dies or stops answering.
 */
import type { SimConfig } from "./config.ts";
import type { SimLog } from "./log.ts";

/** Exit code of a Rust panic: what the supervisor sees when the real node crashes. */
export const PANIC_EXIT_CODE = 101;

export class Faults {
  /** Once true, HTTP requests and WebSocket frames are never answered. */
  hung = false;
  private tokensGenerated = 0;
  private readonly timers: ReturnType<typeof setTimeout>[] = [];

  constructor(
    private readonly sim: SimConfig["sim"],
    private readonly log: SimLog,
    private readonly exit: (code: number) => void,
  ) {}

  arm(): void {
    const { crashAfterMs, hangAfterMs } = this.sim;
    if (crashAfterMs !== undefined) {
      this.timers.push(setTimeout(() => this.crash(`simulated crash after ${crashAfterMs} ms`), crashAfterMs));
    }
    if (hangAfterMs !== undefined) {
      this.timers.push(
        setTimeout(() => {
          this.hung = true;
          this.log.warn(`simulated hang after ${hangAfterMs} ms: no more answers`);
        }, hangAfterMs),
      );
    }
  }

  /** Counts a generated token across all sessions; crashes when the budget is spent. */
  onToken(): void {
    this.tokensGenerated++;
    const limit = this.sim.crashAfterTokens;
    if (limit !== undefined && this.tokensGenerated >= limit) {
      this.crash(`simulated crash after ${this.tokensGenerated} tokens`);
    }
  }

  disarm(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
  }

  /** Dies like a panicking Rust binary: a panic line on stderr, exit 101, no goodbyes. */
  private crash(reason: string): void {
    this.log.error(`thread 'tokio-runtime-worker' panicked at src/inference/engine.rs:412:17:\n${reason}`);
    this.log.error("note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace");
    this.exit(PANIC_EXIT_CODE);
  }
}
