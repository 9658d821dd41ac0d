/**
 * Intents no longer wanted are cancelled, never sent again, on a real anvil: a transaction signed before a crash
 * (never broadcast, or waiting in the mempool) whose work the chain already has, and one whose nonce another signer of
 * the same key took. `stillWanted` is the owner's answer (the proof pipeline's: "are these tokens still unproven?").
 */
import { afterEach, describe, expect, test } from "bun:test";
import { Wallet } from "ethers";
import { ANVIL_ACCOUNTS } from "../../../scripts/devnet/accounts.ts";
import type { IntentRecord } from "../../../src/chain/tx/types.ts";
import { bumpData, startChainEnv, type ChainEnv } from "./fixtures/chain-env.ts";
import { ChainErrors } from "../../../src/errors/codes/index.ts";

const envs: ChainEnv[] = [];
afterEach(async () => {
  for (const env of envs.splice(0)) await env.stop();
});

async function chain(options: { noMining?: boolean } = {}): Promise<ChainEnv> {
  const env = await startChainEnv(options);
  envs.push(env);
  return env;
}

const hits = async (env: ChainEnv, tag: number) => Number(await env.counter.getFunction("hits")(tag));

/** Submits bump(tag) and "crashes" right after the given step: the journal keeps the intent where it got to. */
async function crashAfter(env: ChainEnv, step: "after-sign" | "after-send", tag: number): Promise<IntentRecord> {
  const key = `bump:${tag}`;
  const sender = await env.sender({
    autoRecover: false,
    hooks: {
      onStep: (name) => {
        if (name === step) throw new Error(`crash ${step}`);
      },
    },
  });
  await expect(sender.submit({ key, to: await env.counter.getAddress(), data: bumpData(env, tag), description: `bump ${tag}` })).rejects.toThrow(
    `crash ${step}`,
  );
  return sender.record(key)!;
}

describe("recovery asks before it sends", () => {
  test("signed before a crash, never broadcast, no longer wanted: a no-op takes the nonce, the call never runs", async () => {
    const env = await chain();
    const signed = await crashAfter(env, "after-sign", 1);
    expect(signed.state).toBe("signed");
    const asked: string[] = [];
    const sender = await env.sender({ stillWanted: async (record) => (asked.push(record.key), false) });
    const [outcome] = await sender.recover();
    expect(asked).toEqual(["bump:1"]);
    expect(outcome).toMatchObject({ key: "bump:1", state: "failed" });
    expect(outcome!.error).toContain("cancelled");
    const record = sender.record("bump:1")!;
    expect(record).toMatchObject({
      state: "failed",
      error: { code: ChainErrors.TX_CANCELLED.code },
      withdrawn: { reason: "no longer wanted after a restart" },
    });
    expect(record.attempts.map((a) => a.reason)).toEqual(["first", "withdraw"]);
    expect(record.attempts[1]!.nonce).toBe(record.attempts[0]!.nonce);
    // The no-op (0 ETH to ourselves) holds the nonce; the original bytes can never be mined.
    const noOp = await env.provider.getTransaction(record.receipt!.hash);
    expect({ to: noOp!.to, value: noOp!.value, data: noOp!.data }).toEqual({ to: env.hostAddress, value: 0n, data: "0x" });
    await expect(env.rpc("eth_sendRawTransaction", [record.attempts[0]!.raw])).rejects.toThrow(/nonce/i);
    expect(await hits(env, 1)).toBe(0);
  });

  test("still wanted: finished as recorded, the same bytes", async () => {
    const env = await chain();
    const signed = await crashAfter(env, "after-sign", 2);
    const sender = await env.sender({ stillWanted: async () => true });
    const [outcome] = await sender.recover();
    expect(outcome).toMatchObject({ key: "bump:2", state: "confirmed", hash: signed.attempts[0]!.hash });
    expect(await hits(env, 2)).toBe(1);
  });

  test("broadcast before a crash and waiting in the mempool: replaced by a no-op with a higher fee", async () => {
    const env = await chain({ noMining: true });
    const sent = await crashAfter(env, "after-send", 3);
    expect(sent.state).toBe("sent");
    expect(await env.provider.getTransaction(sent.attempts[0]!.hash)).not.toBeNull(); // in anvil's mempool
    const sender = await env.sender({ stillWanted: async () => false });
    const recovering = sender.recover();
    // Blocks come only when the test mines them: one after the replacement is in.
    for (let i = 0; i < 100 && sender.record("bump:3")!.attempts.length < 2; i++) await Bun.sleep(20);
    await Bun.sleep(100);
    await env.rpc("evm_mine");
    const [outcome] = await recovering;
    expect(outcome).toMatchObject({ key: "bump:3", state: "failed" });
    const record = sender.record("bump:3")!;
    expect(record.error?.code).toBe(ChainErrors.TX_CANCELLED.code);
    expect(BigInt(record.attempts[1]!.maxFeePerGas)).toBeGreaterThan(BigInt(record.attempts[0]!.maxFeePerGas));
    expect(await env.provider.getTransactionReceipt(sent.attempts[0]!.hash)).toBeNull();
    expect(await hits(env, 3)).toBe(0);
  });
});

describe("a nonce taken by another signer of the key", () => {
  async function takeNonce(env: ChainEnv): Promise<void> {
    // The node signing with the same key, unaware of our signed-but-unsent transaction.
    const node = new Wallet(env.hostKey, env.provider);
    await (await node.sendTransaction({ to: ANVIL_ACCOUNTS[3]!.address, value: 1n })).wait();
  }

  test("no longer wanted: cancelled without a second send", async () => {
    const env = await chain();
    const signed = await crashAfter(env, "after-sign", 4);
    await takeNonce(env);
    const before = await env.provider.getTransactionCount(env.hostAddress, "latest");
    const sender = await env.sender({ stillWanted: async () => false });
    const [outcome] = await sender.recover();
    expect(outcome).toMatchObject({ key: "bump:4", state: "failed" });
    expect(sender.record("bump:4")!.attempts.map((a) => a.nonce)).toEqual([signed.attempts[0]!.nonce]);
    expect(await env.provider.getTransactionCount(env.hostAddress, "latest")).toBe(before);
    expect(await hits(env, 4)).toBe(0);
  });

  test("no longer wanted, nonce taken while it was being sent: cancelled at the first look, not after two drop checks", async () => {
    const env = await chain();
    const node = new Wallet(env.hostKey, env.provider);
    let wanted = true;
    const sender = await env.sender({
      dropCheckIntervalMs: 60_000,
      stillWanted: async () => wanted,
      hooks: {
        // Between our signing and our broadcast, the node does the same work with the same key and nonce.
        onStep: async (name) => {
          if (name !== "after-sign") return;
          await (await node.sendTransaction({ to: ANVIL_ACCOUNTS[3]!.address, value: 1n })).wait();
          wanted = false;
        },
      },
    });
    const began = Date.now();
    await expect(sender.submit({ key: "bump:6", to: await env.counter.getAddress(), data: bumpData(env, 6), description: "bump 6" })).rejects.toThrow(
      /cancelled/,
    );
    expect(Date.now() - began).toBeLessThan(30_000); // two drop checks would take 120 s
    expect(sender.record("bump:6")).toMatchObject({ state: "failed", error: { code: ChainErrors.TX_CANCELLED.code } });
    expect(await hits(env, 6)).toBe(0);
  });

  test("still wanted: planned again with a new nonce, asked at each step before that send", async () => {
    const env = await chain();
    await crashAfter(env, "after-sign", 5);
    await takeNonce(env);
    let asked = 0;
    const sender = await env.sender({ stillWanted: async () => (asked++, true) });
    // Asked at recovery; the first broadcast answers "nonce too low", so the watch asks at its first look, proves the
    // nonce taken at its second, and asks once more before planning again.
    const [outcome] = await sender.recover();
    expect(outcome).toMatchObject({ key: "bump:5", state: "confirmed" });
    expect(sender.record("bump:5")!.attempts.map((a) => a.reason)).toEqual(["first", "nonce-taken"]);
    expect(asked).toBe(3);
    expect(await hits(env, 5)).toBe(1);
  });
});
