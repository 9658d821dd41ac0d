/**
 * The RPC pool against a real anvil behind a proxy the test controls: a dead, hanging or failing primary, the work
 * completing on the fallback, the counters showing it, the breaker skipping and then probing the primary, and no
 * retry for answers that are final (a revert).
 */
import { realAfter, realEvery } from "../../../src/util/clock.ts";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { AbiCoder, concat } from "ethers";
import { findFreePort, startAnvil, type AnvilHandle } from "../../../scripts/devnet/anvil.ts";
import { RpcPool } from "../../../src/chain/rpc/pool.ts";
import { PooledProvider } from "../../../src/chain/rpc/provider.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { startRpcProxy, type RpcProxy } from "./fixtures/rpc-proxy.ts";
import { ChainErrors } from "../../../src/errors/codes/index.ts";

const ACCOUNT = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

/**
 * Contract-creation code that reverts with Error("nope"): CODECOPY the 100 bytes after these 12 into memory and
 * REVERT with them. An eth_call without `to` runs it, so a real revert needs no deployed contract.
 */
const REVERTING_INITCODE = concat(["0x6064600c60003960646000fd", "0x08c379a0", AbiCoder.defaultAbiCoder().encode(["string"], ["nope"])]);

let anvil: AnvilHandle;
let primary: RpcProxy;
let fallback: RpcProxy;

beforeAll(async () => {
  anvil = await startAnvil();
  primary = await startRpcProxy(anvil.rpcUrl);
  fallback = await startRpcProxy(anvil.rpcUrl);
});

afterAll(async () => {
  await primary?.close();
  await fallback?.close();
  await anvil?.stop();
});

beforeEach(() => {
  primary.mode = "pass";
  fallback.mode = "pass";
  primary.failMethods.clear();
  primary.reset();
  fallback.reset();
});

function pooled(urls: string[], extra: Partial<ConstructorParameters<typeof RpcPool>[0]> = {}) {
  const pool = new RpcPool({ urls, requestTimeoutMs: 300, backoffBaseMs: 5, backoffMaxMs: 20, breakerCoolDownMs: 60_000, ...extra });
  return { pool, provider: new PooledProvider(pool, 31337) };
}

describe("failover", () => {
  test("a dead primary (nothing listening): the read completes on the fallback", async () => {
    const deadUrl = `http://127.0.0.1:${await findFreePort()}`;
    const { pool, provider } = pooled([deadUrl, fallback.url]);
    try {
      expect(await provider.getBalance(ACCOUNT)).toBeGreaterThan(0n);
      const [dead, alive] = pool.stats();
      expect(dead!.errors).toBe(1);
      expect(dead!.failovers).toBe(1);
      expect(alive!.roundTrips).toBe(1);
      expect(alive!.retries).toBe(1);
    } finally {
      provider.destroy();
    }
  });

  test("a hanging primary: the deadline fires and the fallback answers", async () => {
    primary.mode = "hang";
    const { pool, provider } = pooled([primary.url, fallback.url]);
    try {
      const started = Date.now();
      expect(await provider.getBlockNumber()).toBeGreaterThanOrEqual(0);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(pool.stats()[0]!.timeouts).toBe(1);
      expect(fallback.httpRequests).toBe(1);
    } finally {
      provider.destroy();
    }
  });

  for (const mode of ["http-503", "http-429", "reset"] as const) {
    test(`a primary answering ${mode}: failover`, async () => {
      primary.mode = mode;
      const { pool, provider } = pooled([primary.url, fallback.url]);
      try {
        expect(await provider.getTransactionCount(ACCOUNT)).toBeGreaterThanOrEqual(0);
        expect(pool.stats()[0]!.failovers).toBe(1);
        expect(fallback.httpRequests).toBe(1);
      } finally {
        provider.destroy();
      }
    });
  }

  test("a JSON-RPC 'header not found' from a lagging primary is retried on the fallback", async () => {
    primary.mode = "rpc-error";
    primary.rpcError = { code: -32000, message: "header not found" };
    const { pool, provider } = pooled([primary.url, fallback.url]);
    try {
      expect(await provider.getBalance(ACCOUNT)).toBeGreaterThan(0n);
      expect(pool.stats()[0]!.errors).toBe(1);
      expect(fallback.rpcCalls).toBe(1);
    } finally {
      provider.destroy();
    }
  });

  test("in a batch only the calls that failed transiently are retried", async () => {
    primary.failMethods.add("eth_getBalance");
    primary.rpcError = { code: -32005, message: "limit exceeded" };
    const { provider } = pooled([primary.url, fallback.url]);
    try {
      const [balance, nonce, block] = await Promise.all([provider.getBalance(ACCOUNT), provider.getTransactionCount(ACCOUNT), provider.getBlockNumber()]);
      expect(balance).toBeGreaterThan(0n);
      expect(nonce).toBeGreaterThanOrEqual(0);
      expect(block).toBeGreaterThanOrEqual(0);
      expect(primary.httpRequests).toBe(1); // one batch of three
      expect(primary.rpcCalls).toBe(3);
      expect(fallback.methods).toEqual(["eth_getBalance"]);
    } finally {
      provider.destroy();
    }
  });

  test("every URL down: a HostError naming them, after bounded retries with backoff", async () => {
    primary.mode = "http-503";
    fallback.mode = "http-503";
    const { provider } = pooled([primary.url, fallback.url], { maxRounds: 3 });
    try {
      const error = await provider.getBlockNumber().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostError);
      expect((error as HostError).code).toBe(ChainErrors.RPC_UNAVAILABLE.code);
      expect((error as HostError).message).toContain("HTTP 503");
      expect(primary.httpRequests).toBe(3);
      expect(fallback.httpRequests).toBe(3);
    } finally {
      provider.destroy();
    }
  });
});

describe("no retry for final answers", () => {
  test("a call that reverts (with a reason) is answered once, by the primary", async () => {
    const { provider } = pooled([primary.url, fallback.url]);
    try {
      const error = await provider.call({ data: REVERTING_INITCODE }).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe("CALL_EXCEPTION");
      expect((error as { reason?: string }).reason).toBe("nope");
      expect(primary.rpcCalls).toBe(1);
      expect(fallback.rpcCalls).toBe(0);
    } finally {
      provider.destroy();
    }
  });

  test("invalid params are not retried", async () => {
    const { provider } = pooled([primary.url, fallback.url]);
    try {
      await expect(provider.send("eth_getBalance", ["not-an-address", "latest"])).rejects.toThrow();
      expect(primary.rpcCalls).toBe(1);
      expect(fallback.rpcCalls).toBe(0);
    } finally {
      provider.destroy();
    }
  });
});

describe("circuit breaker", () => {
  test("opens after repeated failures, skips the primary, probes it after the cool-down, closes on success", async () => {
    let now = 1_000_000;
    const clock = { now: () => now, sleep: async () => {}, every: realEvery, after: realAfter };
    primary.mode = "http-503";
    const { pool, provider } = pooled([primary.url, fallback.url], { clock, breakerFailureThreshold: 2, breakerCoolDownMs: 10_000 });
    try {
      await provider.getBlockNumber();
      await provider.getBlockNumber();
      expect(pool.stats()[0]!.breaker).toBe("open");
      const before = primary.httpRequests;
      await provider.getBlockNumber();
      expect(primary.httpRequests).toBe(before); // skipped while open

      now += 10_000; // cool-down over: half-open, one probe goes to the primary
      expect(pool.stats()[0]!.breaker).toBe("half-open");
      primary.mode = "pass";
      await provider.getBlockNumber();
      expect(primary.httpRequests).toBe(before + 1);
      expect(pool.stats()[0]!.breaker).toBe("closed");
      expect(pool.stats()[0]!.breakerOpens).toBe(1);
    } finally {
      provider.destroy();
    }
  });

  test("a failed probe opens the breaker again", async () => {
    let now = 5_000_000;
    const clock = { now: () => now, sleep: async () => {}, every: realEvery, after: realAfter };
    primary.mode = "reset";
    const { pool, provider } = pooled([primary.url, fallback.url], { clock, breakerFailureThreshold: 1, breakerCoolDownMs: 1000 });
    try {
      await provider.getBlockNumber();
      expect(pool.stats()[0]!.breaker).toBe("open");
      now += 1000;
      await provider.getBlockNumber(); // the probe fails, the fallback answers
      expect(pool.stats()[0]!.breaker).toBe("open");
      expect(primary.httpRequests).toBe(2);
    } finally {
      provider.destroy();
    }
  });
});

describe("batching", () => {
  test("reads issued together cost one HTTP round trip", async () => {
    const { pool, provider } = pooled([primary.url]);
    try {
      await Promise.all([provider.getBalance(ACCOUNT), provider.getTransactionCount(ACCOUNT, "pending"), provider.getBlockNumber(), provider.getCode(ACCOUNT)]);
      expect(primary.httpRequests).toBe(1);
      expect(pool.totals().roundTrips).toBe(1);
      expect(pool.totals().requests).toBe(4);
    } finally {
      provider.destroy();
    }
  });
});
