/** Event queries and the deployment-block search against a fake RPC that counts its calls and refuses big ranges. */
import { describe, expect, test } from "bun:test";
import { toQuantity } from "ethers";
import { queryLogs, type RpcSend } from "../../../../src/host/ledger/log-query.ts";
import { findDeploymentBlock, FALLBACK_LOOKBACK_BLOCKS } from "../../../../src/host/ledger/start-block.ts";
import { HostError } from "../../../../src/errors/host-error.ts";
import { ChainErrors } from "../../../../src/errors/codes/chain.ts";
import { HostLedgerErrors } from "../../../../src/errors/codes/index.ts";

/** Logs at every 1000th block; ranges above `maxRange` refused as public endpoints do. */
function fakeLogs(maxRange: number, refuseAll = false): RpcSend & { calls: Array<[number, number]>; ticks: number } {
  const calls: Array<[number, number]> = [];
  let pendingTick = false;
  const rpc = {
    calls,
    ticks: 0,
    async send(method: string, params: unknown[]) {
      expect(method).toBe("eth_getLogs");
      if (!pendingTick) {
        pendingTick = true;
        rpc.ticks += 1; // calls issued in the same tick count as one batch
        queueMicrotask(() => setTimeout(() => (pendingTick = false), 0));
      }
      const filter = params[0] as { fromBlock: string; toBlock: string };
      const from = Number(filter.fromBlock);
      const to = Number(filter.toBlock);
      calls.push([from, to]);
      if (refuseAll || to - from + 1 > maxRange)
        throw Object.assign(new Error("block range too large"), { error: { code: -32602, message: "block range is too wide" } });
      const logs = [];
      for (let b = Math.ceil(from / 1000) * 1000; b <= to; b += 1000) {
        logs.push({ address: "0xa", topics: ["0x1"], data: "0x", blockNumber: toQuantity(b), logIndex: "0x0", transactionHash: `0x${b.toString(16)}` });
      }
      return logs;
    },
  };
  return rpc;
}

describe("queryLogs", () => {
  test("splits the range into chunks, asks a wave of them at once, returns every log once in order", async () => {
    const rpc = fakeLogs(10_000);
    const logs = await queryLogs(rpc, [{ address: "0xa", topics: [] }], 0, 49_999, { chunkSize: 10_000 });
    expect(logs.map((l) => l.blockNumber)).toEqual(Array.from({ length: 50 }, (_, i) => i * 1000));
    expect(rpc.calls).toHaveLength(5);
    expect(rpc.ticks).toBe(1);
  });

  test("a refused range is halved and asked again", async () => {
    const rpc = fakeLogs(2_000);
    const logs = await queryLogs(rpc, [{ address: "0xa", topics: [] }], 0, 9_999, { chunkSize: 10_000 });
    expect(logs).toHaveLength(10);
    expect(Math.max(...rpc.calls.map(([a, b]) => b - a + 1))).toBe(10_000);
    expect(rpc.calls.at(-1)![1] - rpc.calls.at(-1)![0] + 1).toBeLessThanOrEqual(2_000);
  });

  test("refused down to the floor: a clear error naming the range", async () => {
    const error = await queryLogs(fakeLogs(0, true), [{ address: "0xa", topics: [] }], 0, 999, { chunkSize: 400, minChunkSize: 100 }).catch((e) => e);
    expect(error).toBeInstanceOf(HostError);
    expect(error.code).toBe(HostLedgerErrors.LOG_SCAN_FAILED.code);
    expect(error.message).toContain("block range is too wide");
  });

  test("an RPC outage is not mistaken for a range limit", async () => {
    const down: RpcSend = { send: async () => Promise.reject(new HostError(ChainErrors.RPC_UNAVAILABLE, "No RPC endpoint answered.")) };
    const error = await queryLogs(down, [{ address: "0xa", topics: [] }], 0, 100_000).catch((e) => e);
    expect(error.code).toBe(ChainErrors.RPC_UNAVAILABLE.code);
  });
});

describe("findDeploymentBlock", () => {
  const chainWithCodeFrom = (deployedAt: number) => {
    const rpc = {
      probes: 0,
      async send(method: string, params: unknown[]) {
        expect(method).toBe("eth_getCode");
        rpc.probes += 1;
        return Number(params[1]) >= deployedAt ? "0x6080" : "0x";
      },
    };
    return rpc;
  };

  test("finds the first block with code, with few round trips", async () => {
    for (const deployedAt of [0, 1, 17, 12_345_678, 29_999_999]) {
      const rpc = chainWithCodeFrom(deployedAt);
      expect(await findDeploymentBlock(rpc, "0xm", 30_000_000)).toBe(deployedAt);
      expect(rpc.probes).toBeLessThan(120); // ~7 rounds of 16 probes
    }
  });

  test("an endpoint without historical state: a recent window instead", async () => {
    const rpc: RpcSend = { send: async (_m, params) => (params[1] === toQuantity(5_000_000) ? "0x60" : Promise.reject(new Error("missing trie node"))) };
    expect(await findDeploymentBlock(rpc, "0xm", 5_000_000)).toBe(5_000_000 - FALLBACK_LOOKBACK_BLOCKS);
  });
});
