/**
 * `status` as a user runs it: a real child process (`bun src/main.ts status --json --config-dir …`), its RPC round
 * trips counted by a proxy in front of anvil (cold: at most 2; warm: 1), and `--watch` printing one snapshot per
 * interval into a pipe until it is stopped.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DEVNET_HOOK_TIMEOUT_MS, mine, revert, snapshot } from "../../helpers/devnet.ts";
import { startRpcProxy, type RpcProxy } from "../chain/fixtures/rpc-proxy.ts";
import { realAfter, realEvery, type Clock } from "../../../src/util/clock.ts";
import { completeAsHost, newSession, prove, startLedgerHost, type LedgerHost } from "./harness.ts";

const root = join(import.meta.dir, "..", "..", "..");
let h: LedgerHost;
let proxy: RpcProxy;
let resetPoint: string;

beforeAll(async () => {
  h = await startLedgerHost();
  proxy = await startRpcProxy(h.devnet.rpcUrl);
  await h.setUp({ rpcUrls: [proxy.url] });
  resetPoint = await snapshot(h.devnet.rpcUrl);
  for (let i = 0; i < 10; i++) await newSession(h, i % 2 === 0 ? "ETH" : "USDC");
  await prove(h, 1n, 1000);
  await completeAsHost(h, 1n);
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(async () => {
  await proxy?.close();
  await h?.stop();
});

async function statusProcess(): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([process.execPath, join(root, "src", "main.ts"), "status", "--json", "--config-dir", h.configDir], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: h.dir, NO_COLOR: "1" },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

describe("status through a child process", () => {
  test("cold: the whole screen in at most 2 HTTP round trips; warm: 1", async () => {
    proxy.reset();
    const cold = await statusProcess();
    expect(cold.code).toBe(0);
    const data = JSON.parse(cold.stdout).data;
    expect(data.sessions).toMatchObject({ total: 10, active: 9, completed: 1, tokensProven: "1000" });
    expect(data.registration.registered).toBe(true);
    expect(proxy.httpRequests).toBeLessThanOrEqual(2);
    expect(data.rpc.roundTrips).toBe(proxy.httpRequests);

    proxy.reset();
    const warm = await statusProcess();
    expect(warm.code).toBe(0);
    expect(JSON.parse(warm.stdout).data.sessions.total).toBe(10);
    expect(proxy.httpRequests).toBe(1);

    // A new session since the last run costs the one more round trip that reads it.
    await newSession(h, "ETH");
    proxy.reset();
    const grown = JSON.parse((await statusProcess()).stdout).data;
    expect(grown.sessions.total).toBe(11);
    expect(proxy.httpRequests).toBe(2);
  });
});

describe("status --watch", () => {
  test("into a pipe: one JSON snapshot per interval, until stopped", async () => {
    const controller = new AbortController();
    let sleeps = 0;
    const clock: Clock = {
      now: () => Date.now(),
      every: realEvery,
      after: realAfter,
      sleep: async (ms, signal) => {
        expect(ms).toBeGreaterThan(1000); // --watch 2
        sleeps += 1;
        if (sleeps === 3) controller.abort();
        if (signal?.aborted) throw new Error("aborted");
      },
    };
    const result = await h.run(["status", "--watch", "2", "--json"], { clock, services: { interrupt: controller.signal } });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(JSON.parse(line).data.sessions.total).toBe(11);
  });

  test("on a terminal: the screen is redrawn in place", async () => {
    const controller = new AbortController();
    const clock: Clock = { now: () => Date.now(), sleep: async () => controller.abort(), every: realEvery, after: realAfter };
    const result = await h.run(["status", "--watch"], { clock, tty: true, services: { interrupt: controller.signal } });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith("\u001b[H\u001b[2J")).toBe(true);
    expect(result.stdout).toContain("Every 5 s");
    expect(result.stdout).toContain("10 active · 1 completed");
  });
});

describe("a chain that was reset under the cache", () => {
  test("the remembered block is gone or different: the cache is dropped and everything read again", async () => {
    const before = (await h.run(["status", "--json"])).json().data; // the cache now remembers this head
    await revert(h.devnet.rpcUrl, resetPoint);
    for (let i = 0; i < 3; i++) await mine(h.devnet.rpcUrl);
    const after = (await h.run(["status", "--json"])).json().data;
    expect(before.sessions.total).toBe(11);
    expect(after.sessions.total).toBe(0);
    expect(after.registration.registered).toBe(true);
  });
});
