/** The pool's batching sender: one request per turn of the event loop, split at maxBatch, errors per call or not. */
import { describe, expect, test } from "bun:test";
import { batchingSender, RpcCallError } from "../../../../src/chain/rpc/batch-sender.ts";
import type { RpcPayload } from "../../../../src/chain/rpc/types.ts";
import { ChainErrors } from "../../../../src/errors/codes/chain.ts";
import { HostError } from "../../../../src/errors/host-error.ts";

/** A pool that answers eth_call with an error (a revert) and everything else with the call's id. */
function fakePool() {
  const batches: RpcPayload[][] = [];
  return {
    batches,
    send: async (payloads: RpcPayload[]) => {
      batches.push(payloads);
      return payloads.map((p) =>
        p.method === "eth_call"
          ? { jsonrpc: "2.0" as const, id: p.id, error: { code: 3, message: "execution reverted: past the end" } }
          : { jsonrpc: "2.0" as const, id: p.id, result: `0x${p.id.toString(16)}` },
      );
    },
  };
}

describe("batchingSender", () => {
  test("calls made together share one request, split at maxBatch, each answer to its own call", async () => {
    const pool = fakePool();
    const rpc = batchingSender(pool, { maxBatch: 2 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => rpc.send("eth_blockNumber", [])));
    expect(pool.batches.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(answers).toEqual(["0x1", "0x2", "0x3", "0x4", "0x5"]);
  });

  test("per-call errors reject that call only, with the RPC's message; by default they mean the RPC is unusable", async () => {
    const perCall = batchingSender(fakePool(), { callErrors: "per-call" });
    const [ok, reverted] = await Promise.allSettled([perCall.send("eth_chainId", []), perCall.send("eth_call", [{}, "latest"])]);
    expect(ok).toEqual({ status: "fulfilled", value: "0x1" });
    const error = (reverted as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(RpcCallError);
    expect(error).not.toBeInstanceOf(HostError);
    expect(error.message).toBe("execution reverted: past the end");
    expect(error.reverted).toBe(true);
    expect(new RpcCallError("eth_call", -32005, "limit exceeded").reverted).toBe(false);

    const strict = batchingSender(fakePool());
    const failure = await strict.send("eth_call", [{}, "latest"]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HostError);
  });

  test("a request that fails rejects every call of its batch with the pool's error", async () => {
    const down = new HostError(ChainErrors.RPC_UNAVAILABLE, "RPC down");
    const rpc = batchingSender({ send: () => Promise.reject(down) }, { callErrors: "per-call" });
    const results = await Promise.allSettled([rpc.send("eth_chainId", []), rpc.send("eth_call", [])]);
    expect(results.map((r) => (r as PromiseRejectedResult).reason)).toEqual([down, down]);
  });
});
