/**
 * TxSender on a real anvil: journal steps, idempotency, concurrency, revert reasons decoded before anything is sent,
 * funds and fee-cap errors, a nonce used meanwhile by another process, a revert on chain.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Wallet, parseEther } from "ethers";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ANVIL_ACCOUNTS } from "../../../scripts/devnet/accounts.ts";
import { IntentJournal } from "../../../src/chain/tx/journal.ts";
import type { TxSender } from "../../../src/chain/tx/sender.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { bumpData, startChainEnv, type ChainEnv } from "./fixtures/chain-env.ts";
import { ChainErrors } from "../../../src/errors/codes/index.ts";

let env: ChainEnv;
let sender: TxSender;
let counterAddress: string;

beforeAll(async () => {
  env = await startChainEnv();
  sender = await env.sender();
  counterAddress = await env.counter.getAddress();
});

afterAll(async () => {
  await sender?.idle();
  await env?.stop();
});

const nonceOf = (address: string) => env.provider.getTransactionCount(address, "latest");
const hits = async (tag: number) => Number(await env.counter.getFunction("hits")(tag));

async function expectHostError(promise: Promise<unknown>, code: string): Promise<HostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  expect((error as HostError).code).toBe(code);
  return error as HostError;
}

describe("submit", () => {
  test("a call is journalled step by step, mined once and confirmed", async () => {
    const result = await sender.submit({ key: "bump:1", to: counterAddress, data: bumpData(env, 1), description: "bump tag 1" });
    expect(result.reused).toBe(false);
    expect(result.hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await hits(1)).toBe(1);

    const record = sender.record("bump:1")!;
    expect(record.state).toBe("confirmed");
    expect(record.history.map((h) => h.state)).toEqual(["planned", "signed", "sent", "mined", "confirmed"]);
    expect(record.attempts[0]!.raw).toMatch(/^0x02/); // EIP-1559
    // Finished intents leave active/ for done/.
    expect(existsSync(join(sender.journal.doneDir, IntentJournal.fileName("bump:1")))).toBe(true);
    expect(sender.pendingIntents()).toEqual([]);
  });

  test("the same key again returns the earlier result and sends nothing", async () => {
    const before = await nonceOf(env.hostAddress);
    const again = await sender.submit({ key: "bump:1", to: counterAddress, data: bumpData(env, 1), description: "bump tag 1" });
    expect(again.reused).toBe(true);
    expect(again.hash).toBe(sender.record("bump:1")!.receipt!.hash);
    expect(await nonceOf(env.hostAddress)).toBe(before);
    expect(await hits(1)).toBe(1);
  });

  test("the same key with other content is a conflict", async () => {
    await expectHostError(sender.submit({ key: "bump:1", to: counterAddress, data: bumpData(env, 2), description: "bump" }), ChainErrors.INTENT_CONFLICT.code);
  });

  test("ETH transfers with value", async () => {
    const recipient = Wallet.createRandom().address;
    await sender.submit({ key: `pay:${recipient}`, to: recipient, value: parseEther("0.25"), description: "pay" });
    expect(await env.provider.getBalance(recipient)).toBe(parseEther("0.25"));
  });

  test("concurrent intents get consecutive nonces; concurrent submits of one key send one transaction", async () => {
    const start = await nonceOf(env.hostAddress);
    const tags = [10, 11, 12, 13, 14, 15];
    const submits = tags.map((tag) => sender.submit({ key: `bump:${tag}`, to: counterAddress, data: bumpData(env, tag), description: `bump ${tag}` }));
    const duplicates = [0, 1, 2].map(() => sender.submit({ key: "bump:10", to: counterAddress, data: bumpData(env, 10), description: "bump 10" }));
    const results = await Promise.all([...submits, ...duplicates]);
    expect(new Set(results.slice(0, tags.length).map((r) => r.nonce))).toEqual(new Set(tags.map((_, i) => start + i)));
    expect(new Set(results.filter((r) => r.key === "bump:10").map((r) => r.hash)).size).toBe(1);
    for (const tag of tags) expect(await hits(tag)).toBe(1);
    expect(await nonceOf(env.hostAddress)).toBe(start + tags.length);
  });

  test("another process using the same key meanwhile does not break the nonce sequence", async () => {
    const other = new Wallet(env.hostKey, env.provider); // the node signing with the host key
    await (await other.sendTransaction({ to: ANVIL_ACCOUNTS[3]!.address, value: 1n })).wait();
    await (await other.sendTransaction({ to: ANVIL_ACCOUNTS[3]!.address, value: 1n })).wait();
    await sender.submit({ key: "bump:20", to: counterAddress, data: bumpData(env, 20), description: "bump 20" });
    expect(await hits(20)).toBe(1);
  });
});

describe("reverts are decoded before anything is sent", () => {
  const data = (fn: string, args: unknown[] = []) => env.counterInterface.encodeFunctionData(fn, args);

  test("a reason string", async () => {
    const before = await nonceOf(env.hostAddress);
    const error = await expectHostError(
      sender.submit({ key: "fail:reason", to: counterAddress, data: data("failWithReason"), description: "submit proof" }),
      ChainErrors.TX_WOULD_REVERT.code,
    );
    expect(error.message).toBe("Submit proof would fail: Not host. Nothing was sent.");
    expect(error.details?.reason).toBe("Not host");
    expect(await nonceOf(env.hostAddress)).toBe(before);
    expect(sender.record("fail:reason")!.state).toBe("failed");
    expect(sender.record("fail:reason")!.attempts).toEqual([]);
  });

  test("a custom error, with its arguments", async () => {
    const error = await expectHostError(
      sender.submit({ key: "fail:custom", to: counterAddress, data: data("failWithCustom", [7]), description: "complete session" }),
      ChainErrors.TX_WOULD_REVERT.code,
    );
    expect(error.message).toContain(`NotHost(${env.hostAddress}, 7)`);
    expect(error.details?.error).toBe("NotHost");
  });

  test("a panic", async () => {
    const error = await expectHostError(
      sender.submit({ key: "fail:panic", to: counterAddress, data: data("failWithPanic", [0]), description: "divide" }),
      ChainErrors.TX_WOULD_REVERT.code,
    );
    expect(error.message).toContain("division or modulo by zero");
  });

  test("a failed intent is planned afresh by the next submit of its key", async () => {
    await sender.submit({ key: "once:1", to: counterAddress, data: data("bumpOnce", [30]), description: "first" });
    await expectHostError(
      sender.submit({ key: "once:2", to: counterAddress, data: data("bumpOnce", [30]), description: "second" }),
      ChainErrors.TX_WOULD_REVERT.code,
    );
    const retry = await expectHostError(
      sender.submit({ key: "once:2", to: counterAddress, data: data("bumpOnce", [30]), description: "second" }),
      ChainErrors.TX_WOULD_REVERT.code,
    );
    expect(retry.message).toContain("Already bumped");
    // With new content (a fresh tag) the failed key goes through.
    const ok = await sender.submit({ key: "once:2", to: counterAddress, data: data("bumpOnce", [31]), description: "second" });
    expect(ok.reused).toBe(false);
    expect(sender.record("once:2")!.history.some((h) => h.note === "planned again after a failure")).toBe(true);
  });
});

describe("other failures", () => {
  test("no ETH for gas: a clear error, nothing sent", async () => {
    const poor = await env.sender({ signer: Wallet.createRandom() });
    await expectHostError(poor.submit({ key: "poor", to: counterAddress, data: bumpData(env, 40), description: "bump" }), ChainErrors.INSUFFICIENT_FUNDS.code);
  });

  test("a base fee above the cap: nothing signed", async () => {
    const capped = await env.sender({ tx: { confirmations: 1, maxFeeGwei: 0.000001, gasMarginPercent: 20, pendingTimeoutSeconds: 60 } });
    const error = await expectHostError(
      capped.submit({ key: "capped", to: counterAddress, data: bumpData(env, 41), description: "bump" }),
      ChainErrors.FEE_ABOVE_CAP.code,
    );
    expect(error.message).toContain("tx.maxFeeGwei");
    expect(capped.record("capped")!.attempts).toEqual([]);
  });

  test("a transaction that reverts on chain (out of gas) is reported with its hash", async () => {
    const error = await expectHostError(
      sender.submit({ key: "oog", to: counterAddress, data: bumpData(env, 42), description: "bump", gasLimit: 30_000n }),
      ChainErrors.TX_REVERTED.code,
    );
    expect(error.message).toContain("ran out of gas");
    expect(sender.record("oog")!.receipt!.status).toBe(0);
    expect(await hits(42)).toBe(0);
  });
});
