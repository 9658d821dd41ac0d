/**
 * kill -9 of a real sending process at each step of the journal, then a restart: the intent is finished exactly once
 * (checked on chain: the counter for its tag is 1, the sender's nonce moved by one).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { Wallet } from "ethers";
import { bumpData, startChainEnv, type ChainEnv } from "./fixtures/chain-env.ts";
import { ChainErrors } from "../../../src/errors/codes/index.ts";

let env: ChainEnv;
let counterAddress: string;

beforeAll(async () => {
  env = await startChainEnv();
  counterAddress = await env.counter.getAddress();
});

afterAll(async () => {
  await env?.stop();
});

/** Runs the fixture until it pauses at `step`, then kills it with SIGKILL. */
async function crashAt(step: string, tag: number): Promise<void> {
  const paused = await pauseAt(step, tag);
  await paused.kill();
}

/** Runs the fixture until it pauses at `step`; the caller kills it (SIGKILL). */
async function pauseAt(step: string, tag: number): Promise<{ kill(): Promise<void> }> {
  const child = spawn(process.execPath, [join(import.meta.dir, "fixtures", "send-one.ts")], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      FABSTIR_TEST_RPC_URL: env.anvil.rpcUrl,
      FABSTIR_TEST_STATE_DIR: env.stateDir,
      FABSTIR_TEST_KEY: env.hostKey,
      FABSTIR_TEST_COUNTER: counterAddress,
      FABSTIR_TEST_TAG: String(tag),
      FABSTIR_TEST_CRASH_AT: step,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = async () => {
    child.kill("SIGKILL");
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fixture never paused at ${step}: ${out} ${err}`)), 20_000);
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes(`PAUSED ${step}`)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`fixture exited (${code}) before pausing at ${step}: ${out} ${err}`));
      });
    });
  } catch (error) {
    await kill();
    throw error;
  }
  return { kill };
}

const hits = async (tag: number) => Number(await env.counter.getFunction("hits")(tag));
const nonce = () => env.provider.getTransactionCount(env.hostAddress, "latest");

describe("kill -9 at each journal step, then restart", () => {
  const steps = ["after-plan", "after-sign", "after-send", "after-mine"] as const;
  steps.forEach((step, index) => {
    test(step, async () => {
      const tag = 100 + index;
      const before = await nonce();
      await crashAt(step, tag);
      const recorded = (await env.sender({ autoRecover: false })).record(`bump:${tag}`)!;
      expect(recorded.history.at(-1)!.state).toBe(
        ({ "after-plan": "planned", "after-sign": "signed", "after-send": "sent", "after-mine": "mined" } as const)[step],
      );

      const restarted = await env.sender({ autoRecover: false });
      const outcomes = await restarted.recover();
      expect(outcomes).toEqual([expect.objectContaining({ key: `bump:${tag}`, state: "confirmed", error: null })]);
      expect(await hits(tag)).toBe(1);
      expect(await nonce()).toBe(before + 1);

      // And the caller's retry of the same intent sends nothing.
      const again = await restarted.submit({ key: `bump:${tag}`, to: counterAddress, data: bumpData(env, tag), description: `bump ${tag}` });
      expect(again.reused).toBe(true);
      expect(await nonce()).toBe(before + 1);
    });
  });
});

describe("a live owner keeps its intent", () => {
  test("recover() leaves an intent locked by a running process alone, and takes it over once that process is gone", async () => {
    const tag = 150;
    const paused = await pauseAt("after-sign", tag);
    try {
      const other = await env.sender({ autoRecover: false });
      expect(await other.recover()).toEqual([expect.objectContaining({ key: `bump:${tag}`, state: "busy" })]);
      const error = await other.submit({ key: `bump:${tag}`, to: counterAddress, data: bumpData(env, tag), description: "bump" }).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe(ChainErrors.INTENT_BUSY.code);
    } finally {
      await paused.kill();
    }
    const restarted = await env.sender({ autoRecover: false });
    expect((await restarted.recover())[0]!.state).toBe("confirmed");
    expect(await hits(tag)).toBe(1);
  });
});

describe("after a crash the nonce moved on", () => {
  test("signed but not sent, then another process used that nonce: the intent takes a new nonce, once", async () => {
    const tag = 200;
    await crashAt("after-sign", tag);
    const restarted = await env.sender({ autoRecover: false });
    const signedNonce = restarted.record(`bump:${tag}`)!.attempts[0]!.nonce;
    // The node, signing with the same key, takes that nonce.
    const other = new Wallet(env.hostKey, env.provider);
    await (await other.sendTransaction({ to: Wallet.createRandom().address, value: 1n, nonce: signedNonce })).wait();

    const [outcome] = await restarted.recover();
    expect(outcome!.state).toBe("confirmed");
    const record = restarted.record(`bump:${tag}`)!;
    expect(record.attempts.map((a) => a.reason)).toEqual(["first", "nonce-taken"]);
    expect(record.receipt!.nonce).toBe(signedNonce + 1);
    expect(await hits(tag)).toBe(1);
  });

  test("a gap left by a crash (signed, never sent) is filled before the next intent is stuck behind it", async () => {
    const tag = 300;
    await crashAt("after-sign", tag);
    const sender = await env.sender(); // recovers in the background on its first submit
    const next = await sender.submit({ key: "bump:301", to: counterAddress, data: bumpData(env, 301), description: "bump 301" }, { timeoutMs: 15_000 });
    await sender.idle();
    expect(next.nonce).toBe(sender.record(`bump:${tag}`)!.receipt!.nonce + 1);
    expect(await hits(tag)).toBe(1);
    expect(await hits(301)).toBe(1);
  });
});
