/**
 * Several RPC URLs behind one `send`: each round trip has a deadline; a failed one moves to the next healthy URL at
 * once (primary first, always, when its breaker lets it); after a full round over every URL the pool backs off
 * exponentially with jitter and goes round again. Only transient failures are retried: a JSON-RPC answer such as a
 * revert or "invalid params" is returned to the caller as it is.
 */
import type { FetchFn } from "../../context.ts";
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostError } from "../../errors/host-error.ts";
import type { Logger } from "../../ops/logging/logger-types.ts";
import { systemClock, type Clock } from "../../util/clock.ts";
import { isTransientRpcError } from "./classify.ts";
import { RpcEndpoint } from "./endpoint.ts";
import type { EndpointStats, RpcPayload, RpcResponse } from "./types.ts";

/** Deadline of one HTTP round trip unless the options say otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface RpcPoolOptions {
  urls: string[];
  fetch?: FetchFn;
  clock?: Clock;
  logger?: Logger;
  /** Deadline of one HTTP round trip (default 10 s). */
  requestTimeoutMs?: number;
  /** Rounds over every URL before giving up (default 3). */
  maxRounds?: number;
  /** Backoff between rounds: base × 2^(round-1), capped, times a random factor in [0.5, 1) (defaults 250 ms, 4 s). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Consecutive failures that open a URL's breaker (default 3), and how long it stays open (default 30 s). */
  breakerFailureThreshold?: number;
  breakerCoolDownMs?: number;
  random?: () => number;
}

export interface PoolTotals {
  requests: number;
  roundTrips: number;
  errors: number;
  failovers: number;
  retries: number;
}

export class RpcPool {
  readonly endpoints: RpcEndpoint[];
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly maxRounds: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly random: () => number;

  constructor(options: RpcPoolOptions) {
    if (options.urls.length === 0) throw new HostError(ChainErrors.RPC_URL_MISSING, "No RPC URL to connect to.");
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.maxRounds = Math.max(1, options.maxRounds ?? 3);
    this.backoffBaseMs = options.backoffBaseMs ?? 250;
    this.backoffMaxMs = options.backoffMaxMs ?? 4000;
    this.random = options.random ?? Math.random;
    const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    const breaker = { failureThreshold: options.breakerFailureThreshold ?? 3, coolDownMs: options.breakerCoolDownMs ?? 30_000 };
    const now = () => this.clock.now();
    this.endpoints = options.urls.map(
      (url, index) => new RpcEndpoint(url, index, fetchFn, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, breaker, now),
    );
  }

  get primaryUrl(): string {
    return this.endpoints[0]!.url;
  }

  /** Sends the calls (one HTTP request for all of them when it can) and returns one answer per call, in order. */
  async send(payloads: RpcPayload[]): Promise<RpcResponse[]> {
    const answers = new Map<number, RpcResponse>();
    let pending = payloads;
    let tried = new Set<RpcEndpoint>();
    let previous: RpcEndpoint | undefined;
    const problems: string[] = [];
    let round = 0;

    while (pending.length > 0) {
      const endpoint = this.pick(tried);
      if (!endpoint) {
        round += 1;
        if (round >= this.maxRounds) break;
        await this.clock.sleep(this.backoffDelay(round));
        tried = new Set();
        continue;
      }
      if (previous) {
        endpoint.counters.retries += 1;
        if (previous !== endpoint) previous.counters.failovers += 1;
      }
      previous = endpoint;
      tried.add(endpoint);

      const result = await endpoint.post(pending);
      if (!result.ok) {
        endpoint.breaker.onFailure();
        problems.push(`${endpoint.label}: ${result.problem}`);
        this.logger?.warn("RPC round trip failed", { rpc: endpoint.label, problem: result.problem, calls: pending.length });
        continue;
      }
      const retry: RpcPayload[] = [];
      for (const payload of pending) {
        const answer = result.responses.get(payload.id);
        if (answer && !("error" in answer && isTransientRpcError(answer.error))) {
          answers.set(payload.id, answer);
          continue;
        }
        // Kept as the answer in case no URL does better; retried meanwhile.
        if (answer) answers.set(payload.id, answer);
        retry.push(payload);
      }
      if (retry.length > 0) {
        endpoint.counters.errors += 1;
        const first = result.responses.get(retry[0]!.id);
        const problem = first && "error" in first ? `JSON-RPC ${first.error.code}: ${first.error.message ?? ""}` : "missing answer";
        endpoint.lastError = problem;
        endpoint.breaker.onFailure();
        problems.push(`${endpoint.label}: ${problem}`);
      } else {
        endpoint.breaker.onSuccess();
      }
      pending = retry;
    }

    if (pending.some((payload) => !answers.has(payload.id))) throw this.unavailable(problems);
    return payloads.map((payload) => answers.get(payload.id)!);
  }

  /**
   * Highest-priority URL not tried in this round whose breaker admits a request. When every breaker is open the one
   * that failed longest ago is tried anyway: a breaker exists to steer traffic to a healthier URL, and with none left
   * (a single-URL setup, a network outage) failing fast would only stretch an outage by the cool-down.
   */
  private pick(tried: Set<RpcEndpoint>): RpcEndpoint | undefined {
    for (const endpoint of this.endpoints) {
      if (tried.has(endpoint)) continue;
      if (endpoint.breaker.tryAcquire()) return endpoint;
    }
    if (tried.size > 0) return undefined;
    return [...this.endpoints].sort((a, b) => a.breaker.retryAt - b.breaker.retryAt)[0];
  }

  private backoffDelay(round: number): number {
    const exponential = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (round - 1));
    return Math.round(exponential * (0.5 + this.random() * 0.5));
  }

  private unavailable(problems: string[]): HostError {
    const states = this.endpoints.map((e) => `${e.label} (${e.breaker.state}${e.lastError ? `: ${e.lastError}` : ""})`);
    const recent = problems.slice(-3).join("; ");
    return new HostError(ChainErrors.RPC_UNAVAILABLE, `No RPC endpoint answered${recent ? `: ${recent}` : ""}.`, {
      details: { endpoints: states },
    });
  }

  stats(): EndpointStats[] {
    return this.endpoints.map((endpoint) => endpoint.stats());
  }

  totals(): PoolTotals {
    const sum = { requests: 0, roundTrips: 0, errors: 0, failovers: 0, retries: 0 };
    for (const { counters } of this.endpoints) {
      sum.requests += counters.requests;
      sum.roundTrips += counters.roundTrips;
      sum.errors += counters.errors;
      sum.failovers += counters.failovers;
      sum.retries += counters.retries;
    }
    return sum;
  }
}
