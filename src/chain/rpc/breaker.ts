/**
 * A circuit breaker per RPC URL: after `failureThreshold` consecutive failures the URL is left out for `coolDownMs`,
 * then one probe request is let through (half-open); its success closes the breaker, its failure opens it again.
 * Without it, every request would first wait for a dead primary to time out.
 */
export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
}

export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private current: BreakerState = "closed";
  /** How many times the breaker opened (metrics). */
  opens = 0;

  constructor(
    private readonly options: BreakerOptions,
    private readonly now: () => number,
  ) {}

  get state(): BreakerState {
    if (this.current === "open" && this.now() - this.openedAt >= this.options.coolDownMs) return "half-open";
    return this.current;
  }

  /** Whether a request may go to this URL now; in half-open it claims the single probe slot. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open") return false;
    if (this.probeInFlight) return false;
    this.current = "half-open";
    this.probeInFlight = true;
    return true;
  }

  /** When the URL will next accept a probe (ms since epoch); 0 when closed. */
  get retryAt(): number {
    return this.current === "closed" ? 0 : this.openedAt + this.options.coolDownMs;
  }

  onSuccess(): void {
    this.consecutiveFailures = 0;
    this.probeInFlight = false;
    this.current = "closed";
  }

  onFailure(): void {
    this.consecutiveFailures += 1;
    const wasProbe = this.probeInFlight;
    this.probeInFlight = false;
    if (wasProbe || this.consecutiveFailures >= this.options.failureThreshold) {
      if (this.current !== "open") this.opens += 1;
      this.current = "open";
      this.openedAt = this.now();
    }
  }
}
