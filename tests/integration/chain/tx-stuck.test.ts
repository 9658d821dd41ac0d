/**
 * Transactions that do not get mined: anvil runs without automatic mining, so the test decides when blocks come.
 * A transaction pending past `pendingTimeoutSeconds` is replaced with a higher fee (same nonce: only one can be
 * mined); one dropped from the mempool is sent again; a nonce gap left by a dropped transaction is repaired.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RpcPool } from "../../../src/chain/rpc/pool.ts";
import { PooledProvider } from "../../../src/chain/rpc/provider.ts";
import type { TxSender } from "../../../src/chain/tx/sender.ts";
import { startRpcProxy } from "./fixtures/rpc-proxy.ts";
import { bumpData, startChainEnv, waitFor, type ChainEnv } from "./fixtures/chain-env.ts";
import { ChainErrors } from "../../../src/errors/codes/index.ts";

let env: ChainEnv;
let counterAddress: string;
const senders: TxSender[] = [];

beforeAll(async () => {
  env = await startChainEnv({ noMining: true });
  counterAddress = await env.counter.getAddress();
});

afterAll(async () => {
  await env?.rpc("evm_setAutomine", [true]).catch(() => undefined);
  await Promise.all(senders.map((s) => s.idle()));
  await env?.stop();
});

async function makeSender(pendingTimeoutSeconds: number, maxFeeGwei = 100): Promise<TxSender> {
  const sender = await env.sender({ tx: { confirmations: 1, maxFeeGwei, gasMarginPercent: 20, pendingTimeoutSeconds }, autoRecover: false });
  senders.push(sender);
  return sender;
}

const hits = async (tag: number) => Number(await env.counter.getFunction("hits")(tag));
const mine = () => env.rpc("evm_mine", []);

describe("a stuck transaction", () => {
  test("is replaced with fees at least 12.5% higher, and exactly one of the two is mined", async () => {
    const sender = await makeSender(1);
    const startNonce = await env.provider.getTransactionCount(env.hostAddress, "latest");
    const done = sender.submit({ key: "stuck:1", to: counterAddress, data: bumpData(env, 1), description: "bump 1" });
    await waitFor(() => (sender.record("stuck:1")?.attempts.length ?? 0) >= 2 && sender.record("stuck:1")!.state === "sent", 8000, "a fee bump");

    const [first, second] = sender.record("stuck:1")!.attempts;
    expect(second!.reason).toBe("fee-bump");
    expect(second!.nonce).toBe(first!.nonce);
    expect(BigInt(second!.maxFeePerGas) * 1000n).toBeGreaterThanOrEqual(BigInt(first!.maxFeePerGas) * 1125n);
    expect(BigInt(second!.maxPriorityFeePerGas) * 1000n).toBeGreaterThanOrEqual(BigInt(first!.maxPriorityFeePerGas) * 1125n);

    await mine(); // mining resumes
    const result = await done;
    expect(result.hash).toBe(second!.hash);
    expect(await hits(1)).toBe(1);
    expect(await env.provider.getTransactionCount(env.hostAddress, "latest")).toBe(startNonce + 1);
    expect(await env.provider.getTransactionReceipt(first!.hash)).toBeNull();
  });

  test("with no room under the cap it keeps waiting on the first transaction", async () => {
    // A cap exactly at the first offer: a bump would exceed it.
    const block = (await env.rpc("eth_getBlockByNumber", ["latest", false])) as { baseFeePerGas: string };
    const tip = BigInt((await env.rpc("eth_maxPriorityFeePerGas", [])) as string);
    const firstOffer = BigInt(block.baseFeePerGas) * 2n + tip;
    const capGwei = Number(firstOffer) / 1e9;
    const sender = await makeSender(1, capGwei);
    const done = sender.submit({ key: "capped:1", to: counterAddress, data: bumpData(env, 2), description: "bump 2" });
    await waitFor(() => sender.record("capped:1")?.state === "sent", 5000, "the first broadcast");
    await Bun.sleep(1500); // past the pending timeout
    expect(sender.record("capped:1")!.attempts.length).toBe(1);
    await mine();
    expect((await done).hash).toBe(sender.record("capped:1")!.attempts[0]!.hash);
    expect(await hits(2)).toBe(1);
  });
});

describe("a dropped transaction", () => {
  test("is broadcast again and mined once", async () => {
    const sender = await makeSender(600);
    const done = sender.submit({ key: "dropped:1", to: counterAddress, data: bumpData(env, 3), description: "bump 3" });
    await waitFor(() => sender.record("dropped:1")?.state === "sent", 5000, "the broadcast");
    const hash = sender.record("dropped:1")!.attempts[0]!.hash;
    await env.rpc("anvil_dropTransaction", [hash]);
    expect(await env.provider.getTransaction(hash)).toBeNull();
    await waitFor(async () => (await env.provider.getTransaction(hash)) !== null, 5000, "the re-broadcast");
    await mine();
    expect((await done).hash).toBe(hash);
    expect(await hits(3)).toBe(1);
  });

  test("a nonce gap (the lower transaction dropped, the higher one waiting) is repaired", async () => {
    const sender = await makeSender(600);
    const low = sender.submit({ key: "gap:low", to: counterAddress, data: bumpData(env, 4), description: "bump 4" });
    await waitFor(() => sender.record("gap:low")?.state === "sent", 5000, "the low broadcast");
    const high = sender.submit({ key: "gap:high", to: counterAddress, data: bumpData(env, 5), description: "bump 5" });
    await waitFor(() => sender.record("gap:high")?.state === "sent", 5000, "the high broadcast");
    const lowAttempt = sender.record("gap:low")!.attempts[0]!;
    expect(sender.record("gap:high")!.attempts[0]!.nonce).toBe(lowAttempt.nonce + 1);

    await env.rpc("anvil_dropTransaction", [lowAttempt.hash]);
    await mine(); // only the high one is in the pool, and it cannot be mined across the gap
    expect(await hits(5)).toBe(0);

    const miner = setInterval(() => void mine().catch(() => undefined), 100);
    try {
      const [lowResult, highResult] = await Promise.all([low, high]);
      expect(lowResult.nonce).toBe(lowAttempt.nonce);
      expect(highResult.nonce).toBe(lowAttempt.nonce + 1);
    } finally {
      clearInterval(miner);
    }
    expect(await hits(4)).toBe(1);
    expect(await hits(5)).toBe(1);
  });
});

describe("an RPC outage while a transaction is in flight", () => {
  test("delays it and does not lose it", async () => {
    const proxy = await startRpcProxy(env.anvil.rpcUrl);
    const pool = new RpcPool({ urls: [proxy.url], requestTimeoutMs: 500, backoffBaseMs: 10, backoffMaxMs: 20, maxRounds: 2, breakerFailureThreshold: 2 });
    const provider = new PooledProvider(pool, 31337);
    try {
      const sender = await env.sender({ provider, autoRecover: false });
      const done = sender.submit({ key: "outage:1", to: counterAddress, data: bumpData(env, 7), description: "bump 7" });
      await waitFor(() => sender.record("outage:1")?.state === "sent", 5000, "the broadcast");
      proxy.mode = "http-503";
      await waitFor(() => pool.stats()[0]!.breaker === "open", 5000, "the breaker to open");
      await mine(); // mined while the host cannot see it
      await Bun.sleep(300);
      proxy.mode = "pass";
      const result = await done;
      expect(result.hash).toBe(sender.record("outage:1")!.attempts[0]!.hash);
      expect(await hits(7)).toBe(1);
      expect(pool.stats()[0]!.breaker).toBe("closed");
    } finally {
      provider.destroy();
      await proxy.close();
    }
  });
});

describe("waiting has a limit", () => {
  test("submit with a timeout throws TX_PENDING and a later submit resumes the same transaction", async () => {
    const sender = await makeSender(600);
    const error = await sender
      .submit({ key: "slow:1", to: counterAddress, data: bumpData(env, 6), description: "bump 6" }, { timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe(ChainErrors.TX_PENDING.code);
    const hash = sender.record("slow:1")!.attempts[0]!.hash;
    expect((error as Error).message).toContain(hash);
    await mine();
    const result = await sender.submit({ key: "slow:1", to: counterAddress, data: bumpData(env, 6), description: "bump 6" });
    expect(result.hash).toBe(hash);
    expect(await hits(6)).toBe(1);
  });
});
