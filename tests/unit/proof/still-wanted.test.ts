/**
 * The pipeline's answer to the chain layer's "is this recorded transaction still wanted?" (asked before a proof or a
 * settlement is sent again after a restart, or with a new nonce): a proof only while the session's proven total is
 * where the proof starts from, a settlement only while the session is active. The chain here is a stand-in for one
 * contract read; the full path runs on the devnet in the chain layer's own tests.
 */
import { describe, expect, test } from "bun:test";
import { Interface } from "ethers";
import { JOB_MARKETPLACE_ABI } from "../../../src/chain/abi/job-marketplace.ts";
import type { ChainClient } from "../../../src/chain/index.ts";
import { ChainProofPort } from "../../../src/proof/chain-adapter.ts";

const HOST = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const market = new Interface(JOB_MARKETPLACE_ABI);

function portWith(session: { tokensUsed: number; status: number } | undefined): ChainProofPort {
  const sessionJobs = async (jobId: bigint) =>
    session
      ? {
          id: jobId,
          host: HOST,
          depositor: HOST,
          paymentToken: HOST,
          deposit: 0n,
          pricePerToken: 0n,
          tokensUsed: BigInt(session.tokensUsed),
          maxDuration: 0n,
          startTime: 0n,
          lastProofTime: 0n,
          proofInterval: 100n,
          proofTimeoutWindow: 0n,
          status: BigInt(session.status),
        }
      : { id: 0n, host: "0x0000000000000000000000000000000000000000" };
  const chain = { contracts: { jobMarketplace: { sessionJobs, interface: market } } } as unknown as ChainClient;
  return new ChainProofPort(
    chain,
    async () => {
      throw new Error("no sender in this test");
    },
    HOST,
  );
}

const proof = (jobId: number, tokens: number, cumulative: number) => ({
  key: `proof:${jobId}:${cumulative}`,
  data: market.encodeFunctionData("submitProofOfWork", [BigInt(jobId), BigInt(tokens), `0x${"ab".repeat(32)}`, "", ""]),
});

describe("a recorded proof", () => {
  test("is wanted while the chain's proven total is where it starts from", async () => {
    expect(await portWith({ tokensUsed: 200, status: 0 }).stillWanted(proof(7, 100, 300))).toBe(true);
  });

  test("is not wanted once those tokens are proven (the node did it, or our earlier send landed)", async () => {
    expect(await portWith({ tokensUsed: 300, status: 0 }).stillWanted(proof(7, 100, 300))).toBe(false);
    expect(await portWith({ tokensUsed: 250, status: 0 }).stillWanted(proof(7, 100, 300))).toBe(false);
  });

  test("is not wanted for a settled session or a job that does not exist", async () => {
    expect(await portWith({ tokensUsed: 200, status: 1 }).stillWanted(proof(7, 100, 300))).toBe(false);
    expect(await portWith(undefined).stillWanted(proof(7, 100, 300))).toBe(false);
  });
});

describe("a recorded settlement", () => {
  test("is wanted while the session is active, not after", async () => {
    const complete = { key: "complete:7", data: market.encodeFunctionData("completeSessionJob", [7n, ""]) };
    const timeout = { key: "timeout:7", data: market.encodeFunctionData("triggerSessionTimeout", [7n]) };
    expect(await portWith({ tokensUsed: 300, status: 0 }).stillWanted(complete)).toBe(true);
    expect(await portWith({ tokensUsed: 300, status: 1 }).stillWanted(complete)).toBe(false);
    expect(await portWith({ tokensUsed: 300, status: 2 }).stillWanted(timeout)).toBe(false);
  });
});

test("what is not the pipeline's stays wanted", async () => {
  expect(await portWith(undefined).stillWanted({ key: "withdraw:ETH", data: "0x" })).toBe(true);
});
