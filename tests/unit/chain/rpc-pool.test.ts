/** The pool's decisions with a scripted fetch: which URL, how many tries, what backoff, what is final. */
import { describe, expect, test } from "bun:test";
import { CircuitBreaker } from "../../../src/chain/rpc/breaker.ts";
import { isTransientHttpStatus, isTransientRpcError } from "../../../src/chain/rpc/classify.ts";
import { RpcPool } from "../../../src/chain/rpc/pool.ts";
import type { RpcPayload } from "../../../src/chain/rpc/types.ts";
import { rpcUrlLabel } from "../../../src/chain/rpc/url-label.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { FakeClock } from "./helpers.ts";
import { ChainErrors } from "../../../src/errors/codes/index.ts";

type Reply = (calls: RpcPayload[]) => Response | Promise<Response> | "refuse";
const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
const ok = (calls: RpcPayload[]) =>
  json(calls.length === 1 ? { jsonrpc: "2.0", id: calls[0]!.id, result: "0x1" } : calls.map((c) => ({ jsonrpc: "2.0", id: c.id, result: "0x1" })));

function scripted(byUrl: Record<string, Reply[]>) {
  const seen: Array<{ url: string; calls: number }> = [];
  const fetchFn = async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const body = JSON.parse(String(init?.body)) as RpcPayload | RpcPayload[];
    const calls = Array.isArray(body) ? body : [body];
    seen.push({ url, calls: calls.length });
    const reply = byUrl[url]?.shift() ?? ok;
    const result = reply(calls);
    if (result === "refuse") throw Object.assign(new TypeError("fetch failed"), { code: "ECONNREFUSED" });
    return result;
  };
  return { fetchFn, seen };
}

const payload = (id: number, method = "eth_blockNumber"): RpcPayload => ({ jsonrpc: "2.0", id, method, params: [] });

describe("RpcPool", () => {
  test("backs off exponentially with jitter between rounds, and fails over within a round at once", async () => {
    const clock = new FakeClock();
    const refuse: Reply = () => "refuse";
    const { fetchFn, seen } = scripted({ "http://a": [refuse, refuse], "http://b": [refuse, refuse] });
    const pool = new RpcPool({
      urls: ["http://a", "http://b"],
      fetch: fetchFn,
      clock,
      maxRounds: 3,
      backoffBaseMs: 100,
      backoffMaxMs: 1000,
      random: () => 0.5,
      breakerFailureThreshold: 10,
    });
    const [answer] = await pool.send([payload(1)]);
    expect(answer).toEqual({ jsonrpc: "2.0", id: 1, result: "0x1" });
    expect(seen.map((s) => s.url)).toEqual(["http://a", "http://b", "http://a", "http://b", "http://a"]);
    // Round 1 → 2: 100 × 0.75; round 2 → 3: 200 × 0.75. No sleep between a and b.
    expect(clock.sleeps).toEqual([75, 150]);
    expect(pool.stats()[0]!.failovers).toBe(2);
  });

  test("gives up after maxRounds with a HostError that lists the problems", async () => {
    const refuse: Reply = () => "refuse";
    const { fetchFn } = scripted({ "http://a": [refuse, refuse], "http://b": [refuse, refuse] });
    const pool = new RpcPool({ urls: ["http://a", "http://b"], fetch: fetchFn, clock: new FakeClock(), maxRounds: 2, breakerFailureThreshold: 10 });
    const error = (await pool.send([payload(1)]).catch((e: unknown) => e)) as HostError;
    expect(error).toBeInstanceOf(HostError);
    expect(error.code).toBe(ChainErrors.RPC_UNAVAILABLE.code);
    expect(error.message).toContain("ECONNREFUSED");
  });

  test("a final JSON-RPC error (revert, invalid params) is returned at once, not retried", async () => {
    const revert: Reply = (calls) =>
      json({ jsonrpc: "2.0", id: calls[0]!.id, error: { code: 3, message: "execution reverted: Not host", data: "0x08c379a0" } });
    const { fetchFn, seen } = scripted({ "http://a": [revert] });
    const pool = new RpcPool({ urls: ["http://a", "http://b"], fetch: fetchFn, clock: new FakeClock() });
    const [answer] = await pool.send([payload(7, "eth_call")]);
    expect(answer).toMatchObject({ id: 7, error: { code: 3 } });
    expect(seen).toHaveLength(1);
  });

  test("a batch refused as a whole (one error, null id) is retried elsewhere", async () => {
    const whole: Reply = () => json({ jsonrpc: "2.0", id: null, error: { code: -32005, message: "batch too large" } });
    const { fetchFn, seen } = scripted({ "http://a": [whole] });
    const pool = new RpcPool({ urls: ["http://a", "http://b"], fetch: fetchFn, clock: new FakeClock() });
    const answers = await pool.send([payload(1), payload(2)]);
    expect(answers.map((a) => a.id)).toEqual([1, 2]);
    expect(seen).toEqual([
      { url: "http://a", calls: 2 },
      { url: "http://b", calls: 2 },
    ]);
  });

  test("a transient error that persists everywhere is returned as the answer (ethers reports it)", async () => {
    const limited: Reply = (calls) => json({ jsonrpc: "2.0", id: calls[0]!.id, error: { code: -32005, message: "rate limited" } });
    const { fetchFn } = scripted({ "http://a": [limited, limited] });
    const pool = new RpcPool({ urls: ["http://a"], fetch: fetchFn, clock: new FakeClock(), maxRounds: 2, breakerFailureThreshold: 10 });
    const [answer] = await pool.send([payload(1)]);
    expect(answer).toMatchObject({ error: { code: -32005 } });
  });

  test("a missing answer in a batch is asked again", async () => {
    const partial: Reply = (calls) => json([{ jsonrpc: "2.0", id: calls[0]!.id, result: "0x5" }]);
    const { fetchFn, seen } = scripted({ "http://a": [partial] });
    const pool = new RpcPool({ urls: ["http://a", "http://b"], fetch: fetchFn, clock: new FakeClock() });
    const answers = await pool.send([payload(1), payload(2)]);
    expect(answers).toEqual([
      { jsonrpc: "2.0", id: 1, result: "0x5" },
      { jsonrpc: "2.0", id: 2, result: "0x1" },
    ]);
    expect(seen[1]).toEqual({ url: "http://b", calls: 1 });
  });

  test("every breaker open: the URL that failed longest ago is still tried, so an outage ends with it", async () => {
    const clock = new FakeClock();
    const refuse: Reply = () => "refuse";
    const { fetchFn, seen } = scripted({ "http://a": [refuse], "http://b": [refuse] });
    const pool = new RpcPool({ urls: ["http://a", "http://b"], fetch: fetchFn, clock, maxRounds: 1, breakerFailureThreshold: 1, breakerCoolDownMs: 60_000 });
    await expect(pool.send([payload(1)])).rejects.toThrow("No RPC endpoint answered");
    expect(pool.stats().map((s) => s.breaker)).toEqual(["open", "open"]);
    clock.advance(10);
    const [answer] = await pool.send([payload(2)]); // both open, a opened first: a is probed
    expect(answer).toMatchObject({ id: 2, result: "0x1" });
    expect(seen.map((s) => s.url)).toEqual(["http://a", "http://b", "http://a"]);
    expect(pool.stats()[0]!.breaker).toBe("closed");
  });
});

describe("CircuitBreaker", () => {
  test("closed → open after the threshold → half-open after the cool-down with a single probe", () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 100 }, () => now);
    breaker.onFailure();
    expect(breaker.state).toBe("closed");
    breaker.onFailure();
    expect(breaker.state).toBe("open");
    expect(breaker.tryAcquire()).toBe(false);
    now = 100;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // one probe at a time
    breaker.onSuccess();
    expect(breaker.state).toBe("closed");
    expect(breaker.tryAcquire()).toBe(true);
  });
});

describe("classification", () => {
  test("transient JSON-RPC errors", () => {
    expect(isTransientRpcError({ code: -32005, message: "limit exceeded" })).toBe(true);
    expect(isTransientRpcError({ code: -32000, message: "header not found" })).toBe(true);
    expect(isTransientRpcError({ code: -32603, message: "Internal error" })).toBe(true);
    expect(isTransientRpcError({ code: -32000, message: "request timed out" })).toBe(true);
  });
  test("final JSON-RPC errors", () => {
    expect(isTransientRpcError({ code: 3, message: "execution reverted", data: "0x08c379a0" })).toBe(false);
    expect(isTransientRpcError({ code: -32603, message: "Internal error", data: "0x08c379a0aa" })).toBe(false);
    expect(isTransientRpcError({ code: -32000, message: "execution reverted: timeout" })).toBe(false);
    expect(isTransientRpcError({ code: -32602, message: "invalid params" })).toBe(false);
    expect(isTransientRpcError({ code: -32000, message: "nonce too low" })).toBe(false);
    expect(isTransientRpcError({ code: -32000, message: "insufficient funds for gas * price + value" })).toBe(false);
  });
  test("HTTP statuses", () => {
    expect([429, 500, 502, 503, 504, 408].every(isTransientHttpStatus)).toBe(true);
    expect([400, 401, 403, 404].some(isTransientHttpStatus)).toBe(false);
  });
  test("URL labels hide keys", () => {
    expect(rpcUrlLabel("https://base-sepolia.g.alchemy.com/v2/AbCdEf1234567890XyZ")).toBe("https://base-sepolia.g.alchemy.com/v2/***");
    expect(rpcUrlLabel("https://rpc.example/?apikey=secret")).toBe("https://rpc.example?***");
    expect(rpcUrlLabel("https://user:pass@rpc.example/base")).toBe("https://***@rpc.example/base");
    expect(rpcUrlLabel("https://sepolia.base.org")).toBe("https://sepolia.base.org");
    expect(rpcUrlLabel("http://127.0.0.1:8545")).toBe("http://127.0.0.1:8545");
  });
});
