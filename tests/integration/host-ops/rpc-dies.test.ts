/**
 * The RPC dies in the middle of `register`. Running the command again (the RPC back) finishes the work, and nothing
 * is sent twice: six transactions in all (approve, register, four prices), one stake.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEVNET_HOOK_TIMEOUT_MS, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { chainPrice, fundedAccount, hostEnv, nodeInfo } from "../../commands/helpers/host-env.ts";
import { startKillableProxy, type KillableProxy } from "./fixtures/killable-proxy.ts";
import { ChainErrors } from "../../../src/errors/codes/index.ts";

let devnet: TestDevnet;
let proxy: KillableProxy;

beforeAll(async () => {
  devnet = await startTestDevnet();
  proxy = await startKillableProxy(devnet.rpcUrl);
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await proxy?.close();
  await devnet?.stop();
});

async function expectFullyRegistered(env: Awaited<ReturnType<typeof hostEnv>>) {
  const info = await nodeInfo(env);
  expect(info.operator).toBe(env.account.address);
  expect(info.stake).toBe(1000n * 10n ** 18n);
  for (const model of env.models) {
    expect(await chainPrice(env, model.id, "usdc")).toBe(5000n);
    expect(await chainPrice(env, model.id, "eth")).toBe(2_000_000_000_000n);
  }
  expect(await env.nonce()).toBe(6);
}

describe("the RPC dies during register", () => {
  test("between two steps (after the approve, before the register is simulated): a re-run finishes", async () => {
    await proxy.revive();
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet), config: { rpcUrls: [proxy.url] } });
    const sentBefore = proxy.counts.get("eth_sendRawTransaction") ?? 0;
    proxy.killOn({ method: "eth_estimateGas", nth: (proxy.counts.get("eth_estimateGas") ?? 0) + 2, when: "before" });
    const first = await env.run(["register", "--yes"]);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(ChainErrors.RPC_UNAVAILABLE.code);
    expect(proxy.alive).toBe(false);
    expect(await env.nonce()).toBe(1); // the approve only

    await proxy.revive();
    const second = await env.run(["register", "--yes", "--json"]);
    expect(second.code).toBe(0);
    expect(second.json().data.sent.map((tx: { kind: string }) => tx.kind)).toEqual(["register", "price", "price", "price", "price"]);
    await expectFullyRegistered(env);
    expect((proxy.counts.get("eth_sendRawTransaction") ?? 0) - sentBefore).toBe(6);
  });

  test("right after the register transaction reached the chain, before the answer: a re-run adopts it", async () => {
    await proxy.revive();
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet), config: { rpcUrls: [proxy.url] } });
    proxy.killOn({ method: "eth_sendRawTransaction", nth: (proxy.counts.get("eth_sendRawTransaction") ?? 0) + 2, when: "after" });
    const first = await env.run(["register", "--yes"], { services: { txWaitMs: 3000 } });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(ChainErrors.TX_PENDING.code); // still pending: recorded, to be finished
    expect(proxy.alive).toBe(false);
    expect((await nodeInfo(env)).operator).toBe(env.account.address); // it did reach the chain

    await proxy.revive();
    const second = await env.run(["register", "--yes", "--json"]);
    expect(second.code).toBe(0);
    const data = second.json().data;
    expect(data.recovered).toEqual([expect.objectContaining({ key: `register:${env.account.address}:register`, state: "confirmed" })]);
    expect(data.sent.map((tx: { kind: string }) => tx.kind)).toEqual(["price", "price", "price", "price"]);
    await expectFullyRegistered(env);
  });
});
