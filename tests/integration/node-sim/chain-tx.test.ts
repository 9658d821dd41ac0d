import { describe, expect, test } from "bun:test";
import type { ContractTransactionResponse, Provider } from "ethers";
import { SendLock, isNonceConflict, sendWithFreshNonce } from "../../../scripts/devnet/node-sim/chain-tx.ts";

function nonceError(): Error {
  return Object.assign(new Error("nonce has already been used"), { code: "NONCE_EXPIRED" });
}

describe("node stand-in transaction helpers", () => {
  test("re-reads the pending nonce and retries when another signer took it", async () => {
    const pending = [7, 8];
    const provider = { getTransactionCount: async () => pending.shift() ?? 9 } as unknown as Provider;
    const tried: number[] = [];
    const conflicts: number[] = [];
    const response = await sendWithFreshNonce(
      provider,
      "0x0000000000000000000000000000000000000001",
      async (nonce) => {
        tried.push(nonce);
        if (nonce === 7) throw nonceError();
        return { hash: "0xabc", nonce } as unknown as ContractTransactionResponse;
      },
      new AbortController().signal,
      (nonce) => conflicts.push(nonce),
    );
    expect(tried).toEqual([7, 8]);
    expect(conflicts).toEqual([7]);
    expect(response.hash).toBe("0xabc");
  });

  test("does not retry other failures", async () => {
    const provider = { getTransactionCount: async () => 1 } as unknown as Provider;
    let calls = 0;
    const revert = Object.assign(new Error("execution reverted"), { code: "CALL_EXCEPTION" });
    const attempt = sendWithFreshNonce(
      provider,
      "0x01",
      async () => {
        calls++;
        throw revert;
      },
      new AbortController().signal,
    );
    await expect(attempt).rejects.toBe(revert);
    expect(calls).toBe(1);
  });

  test("recognises the nonce conflicts RPC nodes report", () => {
    expect(isNonceConflict(nonceError())).toBe(true);
    expect(isNonceConflict(new Error("nonce too low: next nonce 5, tx nonce 4"))).toBe(true);
    expect(isNonceConflict(new Error("already known"))).toBe(true);
    expect(isNonceConflict(new Error("insufficient funds"))).toBe(false);
  });

  test("SendLock runs tasks one at a time, even after a failure", async () => {
    const lock = new SendLock();
    const order: string[] = [];
    const slow = lock.run(async () => {
      await Bun.sleep(20);
      order.push("first");
      throw new Error("boom");
    });
    const fast = lock.run(async () => {
      order.push("second");
      return 2;
    });
    await expect(slow).rejects.toThrow("boom");
    expect(await fast).toBe(2);
    expect(order).toEqual(["first", "second"]);
  });
});
