/**
 * A round trip started before its code loads (src/chain/rpc/prefetch.ts, src/chain/early-check.ts), against a local
 * JSON-RPC server: the endpoint that posts the same body takes the prefetched answer, nothing is sent twice, and a
 * prefetch nobody takes is aborted.
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { connectChain } from "../../../src/chain/client.ts";
import { prefetchNetworkCheck } from "../../../src/chain/early-check.ts";
import { dropPrefetches, prefetch, takePrefetched } from "../../../src/chain/rpc/prefetch.ts";
import { RpcEndpoint } from "../../../src/chain/rpc/endpoint.ts";
import { loadConfig } from "../../../src/config/store.ts";
import { makeTestContext } from "../../helpers/context.ts";
import { TEST_CONTRACTS } from "./helpers.ts";

const WALLET = { address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", backend: "keychain" };

const bodies: string[] = [];
let hold: Promise<void> | undefined;
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    const body = await request.text();
    bodies.push(body);
    if (hold) await hold;
    const calls = JSON.parse(body) as { id: number; method: string }[];
    const list = Array.isArray(calls) ? calls : [calls];
    const answers = list.map((call) => ({ jsonrpc: "2.0", id: call.id, result: call.method === "eth_chainId" ? "0x539" : "0x6080" }));
    return Response.json(Array.isArray(calls) ? answers : answers[0]);
  },
});
const url = `http://127.0.0.1:${server.port}`;

afterEach(() => {
  bodies.length = 0;
  hold = undefined;
  dropPrefetches();
});
afterAll(() => server.stop(true));

describe("prefetched round trips", () => {
  test("the endpoint that posts the same body takes the answer; the server sees one request", async () => {
    const payloads = [{ jsonrpc: "2.0" as const, id: 1, method: "eth_chainId", params: [] }];
    prefetch(fetch, url, JSON.stringify(payloads[0]), 5000);
    const endpoint = new RpcEndpoint(url, 0, fetch, 5000, { failureThreshold: 3, coolDownMs: 30_000 }, () => Date.now());
    const result = await endpoint.post(payloads);
    expect(result.ok).toBe(true);
    expect(bodies).toHaveLength(1);
    // Taken once: the next identical post goes out itself.
    await endpoint.post(payloads);
    expect(bodies).toHaveLength(2);
  });

  test("another body or another URL is not taken", () => {
    prefetch(fetch, url, '{"a":1}', 5000);
    const signal = new AbortController().signal;
    expect(takePrefetched(url, '{"a":2}', signal)).toBeUndefined();
    expect(takePrefetched(`${url}/other`, '{"a":1}', signal)).toBeUndefined();
    expect(takePrefetched(url, '{"a":1}', signal)).toBeDefined();
  });

  test("a prefetch nobody took is aborted when the command ends", async () => {
    let release = () => {};
    hold = new Promise((resolve) => (release = resolve));
    let seen: unknown;
    const watching: typeof fetch = ((input: string, init: RequestInit) => {
      const response = fetch(input, init);
      response.catch((error) => (seen = error));
      return response;
    }) as typeof fetch;
    prefetch(watching, url, '{"held":true}', 5000);
    while (bodies.length === 0) await Bun.sleep(2);
    dropPrefetches();
    await Bun.sleep(20);
    expect(String(seen)).toMatch(/abort/i);
    expect(takePrefetched(url, '{"held":true}', new AbortController().signal)).toBeUndefined();
    release();
  });
});

describe("the early network check", () => {
  test("posts exactly the body verify() posts: the command's check costs one round trip, made before it loaded", async () => {
    const context = makeTestContext();
    mkdirSync(context.paths.home, { recursive: true });
    writeFileSync(
      context.paths.configFile,
      JSON.stringify({ version: 1, network: "custom", chainId: 1337, rpcUrls: [url], contracts: TEST_CONTRACTS, wallet: WALLET }),
    );
    await prefetchNetworkCheck(context);
    expect(bodies.length).toBeLessThanOrEqual(1);
    const { config } = await loadConfig(context);
    const chain = connectChain(config, { fetch: context.fetch });
    try {
      const check = await chain.verify();
      expect(check.chainId).toBe(1337);
    } finally {
      chain.close();
    }
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0]!).map((call: { method: string }) => call.method)).toEqual(["eth_chainId", ...Array(7).fill("eth_getCode")]);
  });

  test("no config, no wallet yet, or a config the command will refuse: nothing is posted", async () => {
    const context = makeTestContext();
    await prefetchNetworkCheck(context);
    mkdirSync(context.paths.home, { recursive: true });
    writeFileSync(context.paths.configFile, JSON.stringify({ version: 1, network: "custom", chainId: 1337, rpcUrls: [url], contracts: TEST_CONTRACTS }));
    await prefetchNetworkCheck(context);
    writeFileSync(context.paths.configFile, JSON.stringify({ version: 1, network: "custom", rpcUrls: [url], wallet: WALLET }));
    await prefetchNetworkCheck(context);
    expect(bodies).toEqual([]);
  });
});
