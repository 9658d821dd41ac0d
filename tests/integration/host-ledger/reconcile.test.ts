/**
 * The ledger service the running host calls: incremental scans from the cached head (minus the reorg margin), a
 * shallow reorganisation replaced by the rescan, a deep one detected by the anchor block and rebuilt, and the
 * periodic loop with its metric deltas.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectChain, type ChainClient } from "../../../src/chain/index.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import { reconcile, type ReconcileDeps } from "../../../src/host/ledger/reconcile.ts";
import { creditedInWholeTokens, startLedgerReconciler } from "../../../src/host/ledger/reconcile-loop.ts";
import { buildLedgerView } from "../../../src/host/ledger/view.ts";
import { DEVNET_HOOK_TIMEOUT_MS, mine, revert, snapshot } from "../../helpers/devnet.ts";
import { completeAsHost, newSession, prove, startLedgerHost, type LedgerHost } from "./harness.ts";

let h: LedgerHost;
let chain: ChainClient;
let stateDir: string;
let deps: ReconcileDeps;

beforeAll(async () => {
  h = await startLedgerHost();
  const config = resolveConfig(undefined, {}, { network: "local", deploymentFile: h.deploymentFile }).config as HostConfig;
  chain = connectChain(config);
  stateDir = mkdtempSync(join(tmpdir(), "ledger-state-"));
  deps = { rpc: chain.provider, network: chain.network, host: h.host, stateDir };
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(async () => {
  chain?.close();
  await h?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

const proofsOf = (ledger: Awaited<ReturnType<typeof reconcile>>["ledger"], jobId: bigint) =>
  ledger.events.filter((e) => e.kind === "proof" && e.jobId === String(jobId)).map((e) => (e as { tokens: string }).tokens);

describe("reconcile", () => {
  test("the first run scans from the start, later runs only the new blocks plus the margin", async () => {
    const job = await newSession(h, "ETH");
    await prove(h, job, 1000);
    const first = await reconcile(deps);
    expect(first.rebuilt).toBe(true);
    expect(first.from).toBe(0);
    expect(first.added.proofs).toBe(1);
    expect(first.ledger.sessions[String(job)]).toMatchObject({ token: "0x0000000000000000000000000000000000000000", openedAt: expect.any(Number) });

    await prove(h, job, 700);
    await completeAsHost(h, job);
    const second = await reconcile(deps);
    expect(second.rebuilt).toBe(false);
    expect(second.from).toBe(first.to - 5 + 1);
    expect(second.added).toMatchObject({ proofs: 1, tokensProved: 700n });
    expect(Object.values(second.added.credited)).toEqual([4_590_000n]); // 1700 tokens × 3000 wei, less the 10% fee
    expect(creditedInWholeTokens(second, h.usdc)).toEqual({ eth: 4.59e-12 });
    const view = buildLedgerView(second.ledger, { usdcAddress: h.usdc });
    expect(view.sessions[0]).toMatchObject({ status: "completed", tokensProved: "1700", proofs: 2, credited: { raw: "4590000" } });

    const idle = await reconcile(deps);
    expect(idle.added).toEqual({ proofs: 0, tokensProved: 0n, credited: {}, withdrawn: {} });
  });

  test("a shallow reorg (within the margin) is replaced by the rescan", async () => {
    const job = await newSession(h, "USDC");
    await reconcile(deps);
    const snap = await snapshot(h.devnet.rpcUrl);
    await prove(h, job, 1111);
    expect(proofsOf((await reconcile(deps)).ledger, job)).toEqual(["1111"]);
    await revert(h.devnet.rpcUrl, snap);
    await prove(h, job, 2222);
    const after = await reconcile(deps);
    expect(after.rebuilt).toBe(false);
    expect(proofsOf(after.ledger, job)).toEqual(["2222"]);
  });

  test("a reorg deeper than the margin is caught by the anchor block and rebuilt", async () => {
    const job = await newSession(h, "USDC");
    const snap = await snapshot(h.devnet.rpcUrl);
    for (let i = 0; i < 10; i++) await mine(h.devnet.rpcUrl);
    await prove(h, job, 3333);
    expect(proofsOf((await reconcile(deps)).ledger, job)).toEqual(["3333"]);
    await revert(h.devnet.rpcUrl, snap);
    await prove(h, job, 4444);
    const after = await reconcile(deps);
    expect(after.rebuilt).toBe(true);
    expect(proofsOf(after.ledger, job)).toEqual(["4444"]);
  });

  test("the running host's loop reconciles now and every interval, and stops cleanly", async () => {
    const results: number[] = [];
    const loop = startLedgerReconciler({ ...deps, intervalMs: 1000, onResult: (r) => results.push(r.to) });
    const first = await loop.runNow();
    expect(first?.to).toBe(await h.devnet.provider.getBlockNumber());
    await loop.stop();
    expect(results.length).toBeGreaterThanOrEqual(1);
  });
});
