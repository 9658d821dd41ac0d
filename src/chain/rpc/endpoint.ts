/** One RPC URL: posts JSON-RPC over HTTP with a deadline, and keeps its counters and breaker. */
import type { FetchFn } from "../../context.ts";
import { CircuitBreaker, type BreakerOptions } from "./breaker.ts";
import { isTransientHttpStatus, isTransientRpcError } from "./classify.ts";
import type { EndpointCounters, EndpointStats, RpcPayload, RpcResponse } from "./types.ts";
import { rpcUrlLabel } from "./url-label.ts";
import { takePrefetched } from "./prefetch.ts";

export type PostResult = { ok: true; responses: Map<number, RpcResponse> } | { ok: false; problem: string; timeout: boolean };

export class RpcEndpoint {
  readonly label: string;
  readonly breaker: CircuitBreaker;
  readonly counters: EndpointCounters = { requests: 0, roundTrips: 0, errors: 0, timeouts: 0, failovers: 0, retries: 0 };
  lastError: string | null = null;

  constructor(
    readonly url: string,
    readonly index: number,
    private readonly fetchFn: FetchFn,
    private readonly timeoutMs: number,
    breaker: BreakerOptions,
    now: () => number,
  ) {
    this.label = rpcUrlLabel(url);
    this.breaker = new CircuitBreaker(breaker, now);
  }

  /** One HTTP round trip. Never throws: a failure is a value, so the pool can decide where to go next. */
  async post(payloads: RpcPayload[]): Promise<PostResult> {
    this.counters.roundTrips += 1;
    this.counters.requests += payloads.length;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      // A single call goes unwrapped: every node accepts it, and not every one accepts batches.
      const body = JSON.stringify(payloads.length === 1 ? payloads[0] : payloads);
      const response = await (takePrefetched(this.url, body, controller.signal) ??
        this.fetchFn(this.url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body,
          signal: controller.signal,
        }));
      const text = await response.text();
      if (!response.ok) {
        const kind = isTransientHttpStatus(response.status) ? "transient" : "refused";
        return this.failure(`HTTP ${response.status} (${kind})`, false);
      }
      return this.parse(text, payloads);
    } catch (error) {
      const timedOut = controller.signal.aborted;
      return this.failure(timedOut ? `no answer within ${this.timeoutMs} ms` : describeNetworkError(error), timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  private parse(text: string, payloads: RpcPayload[]): PostResult {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.failure("answer is not JSON", false);
    }
    const list = Array.isArray(parsed) ? (parsed as RpcResponse[]) : [parsed as RpcResponse];
    const responses = new Map<number, RpcResponse>();
    // A batch refused as a whole comes back as one error with a null id: it belongs to every call.
    const whole = !Array.isArray(parsed) && payloads.length > 1 ? (parsed as RpcResponse) : undefined;
    if (whole && "error" in whole) {
      if (isTransientRpcError(whole.error)) return this.failure(`batch refused: ${whole.error.message ?? whole.error.code}`, false);
      for (const p of payloads) responses.set(p.id, { ...whole, id: p.id });
      return { ok: true, responses };
    }
    for (const item of list) {
      if (item && typeof item === "object" && typeof item.id === "number") responses.set(item.id, item);
    }
    if (payloads.length === 1 && responses.size === 0 && list.length === 1 && list[0] && typeof list[0] === "object") {
      // Some gateways drop or stringify the id of a single call.
      responses.set(payloads[0]!.id, { ...(list[0] as RpcResponse), id: payloads[0]!.id });
    }
    return { ok: true, responses };
  }

  private failure(rawProblem: string, timeout: boolean): PostResult {
    // Some runtimes quote the URL in network errors; it may carry an API key.
    const problem = rawProblem.split(this.url).join(this.label);
    this.counters.errors += 1;
    if (timeout) this.counters.timeouts += 1;
    this.lastError = problem;
    return { ok: false, problem, timeout };
  }

  stats(): EndpointStats {
    return {
      label: this.label,
      index: this.index,
      ...this.counters,
      breaker: this.breaker.state,
      breakerOpens: this.breaker.opens,
      lastError: this.lastError,
    };
  }
}

function describeNetworkError(error: unknown): string {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err?.code ?? err?.cause?.code;
  const message = err?.message ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
