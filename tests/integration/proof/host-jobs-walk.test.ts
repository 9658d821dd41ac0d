/**
 * A restart reads only what changed: the walk of `hostSessions(host, i)` keeps its place in the state dir, so after N
 * historic jobs a new process makes O(new jobs + margin + active jobs) calls, not O(N). Calls are counted by a JSON-RPC
 * proxy in front of the devnet's anvil, through the real chain client. History comes from seedSettledHistory (storage
 * writes); live sessions of every kind (direct, from a deposit, by a delegate) are opened with scripts/devnet/actions.ts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectChain, type ChainClient } from "../../../src/chain/client.ts";
import { ChainProofPort } from "../../../src/proof/chain-adapter.ts";
import { REORG_MARGIN } from "../../../src/proof/host-jobs-cursor.ts";
import { openSessionAsDelegate, openSessionFromDeposit } from "../../../scripts/devnet/actions.ts";
import { seedSettledHistory } from "../../../scripts/devnet/history.ts";
import { DEVNET_HOOK_TIMEOUT_MS, openSession, registerHost, revert, snapshot, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { testConfig } from "../../unit/chain/helpers.ts";
import { startRpcProxy, type RpcProxy } from "../chain/fixtures/rpc-proxy.ts";

const HISTORY = 200;
let devnet: TestDevnet;
let proxy: RpcProxy;
let chain: ChainClient;
let dir: string;
let stateDir: string;
let snap: string;
let host: string;

beforeAll(async () => {
  devnet = await startTestDevnet();
  host = devnet.deployment.accounts.host.address;
  await registerHost(devnet.deployment, devnet.provider);
  dir = mkdtempSync(join(tmpdir(), "fabstir-host-jobs-"));
  const deploymentFile = join(dir, "deployment.json");
  writeFileSync(deploymentFile, JSON.stringify(devnet.deployment));
  proxy = await startRpcProxy(devnet.rpcUrl);
  chain = connectChain(testConfig({ network: "local", chainId: 31337, rpcUrls: [proxy.url], deploymentFile }));
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(async () => {
  chain?.close();
  await proxy?.close();
  await devnet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  snap = await snapshot(devnet.rpcUrl);
  stateDir = mkdtempSync(join(dir, "state-"));
});
afterEach(async () => {
  await revert(devnet.rpcUrl, snap);
});

/** A fresh port, as a restarted process makes; its eth_call count for one walk. */
async function walk(): Promise<{ active: string[]; calls: number }> {
  const port = new ChainProofPort(chain, () => Promise.reject(new Error("no sends here")), host, stateDir);
  proxy.reset();
  const active = await port.activeJobsOfHost();
  return { active, calls: proxy.methods.filter((m) => m === "eth_call").length };
}

describe("the walk of the host's jobs across restarts", () => {
  test(`after ${HISTORY} settled jobs a restart reads only the new ones, the margin and the active ones`, async () => {
    await seedSettledHistory(devnet.deployment, HISTORY);
    const live = await openSession(devnet.deployment, devnet.provider);
    const first = await walk();
    expect(first.active).toEqual([live.toString()]);
    expect(first.calls).toBeGreaterThanOrEqual(2 * (HISTORY + 1)); // the first walk reads it all

    const again = await walk();
    expect(again.active).toEqual([live.toString()]);
    // anchor + margin (2 calls each) + the end of the list; the active job is inside the margin.
    expect(again.calls).toBeLessThanOrEqual(1 + 2 * REORG_MARGIN + 1);

    // Three new jobs of every kind: each costs two calls more, whatever the history.
    const deposit = await openSessionFromDeposit(devnet.deployment, devnet.provider);
    const delegate = await openSessionAsDelegate(devnet.deployment, devnet.provider);
    const direct = await openSession(devnet.deployment, devnet.provider, { token: "USDC" });
    const next = await walk();
    expect(next.active.sort()).toEqual([live, deposit, delegate, direct].map(String).sort());
    expect(next.calls).toBeLessThanOrEqual(1 + 2 * (REORG_MARGIN + 3) + 1);
  });

  test("a job that stays active far behind the margin is read again by id, not by walking to it", async () => {
    const live = await openSession(devnet.deployment, devnet.provider);
    await seedSettledHistory(devnet.deployment, 100);
    expect((await walk()).active).toEqual([live.toString()]);
    const again = await walk();
    expect(again.active).toEqual([live.toString()]);
    expect(again.calls).toBeLessThanOrEqual(1 + 1 + 2 * REORG_MARGIN + 1);
  });

  test("a list that no longer matches the cursor (a reset chain) is walked again from the start", async () => {
    const before = await snapshot(devnet.rpcUrl);
    await seedSettledHistory(devnet.deployment, 50);
    await walk();
    await revert(devnet.rpcUrl, before);
    const live = await openSession(devnet.deployment, devnet.provider);
    const after = await walk();
    expect(after.active).toEqual([live.toString()]);
  });
});
