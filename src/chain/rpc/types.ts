/** JSON-RPC 2.0 shapes as they travel over HTTP. */
import type { JsonRpcErrorBody } from "./classify.ts";

export interface RpcPayload {
  jsonrpc: "2.0";
  id: number;
  method: string;
  params: unknown[] | Record<string, unknown>;
}

export type RpcResponse = { jsonrpc?: string; id: number; result: unknown } | { jsonrpc?: string; id: number; error: JsonRpcErrorBody };

/** Counters per URL, for metrics, `status` and the benchmarks. */
export interface EndpointCounters {
  /** JSON-RPC calls sent to this URL (a batch of 5 counts 5). */
  requests: number;
  /** HTTP requests to this URL (a batch of 5 counts 1). */
  roundTrips: number;
  /** Failed round trips and transient JSON-RPC errors. */
  errors: number;
  timeouts: number;
  /** Times work moved away from this URL to another one. */
  failovers: number;
  /** Attempts on this URL that repeated work which had already failed somewhere. */
  retries: number;
}

export interface EndpointStats extends EndpointCounters {
  /** The URL with any key masked. */
  label: string;
  index: number;
  breaker: "closed" | "open" | "half-open";
  breakerOpens: number;
  lastError: string | null;
}
