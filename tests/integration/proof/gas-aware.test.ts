/**
 * Gas-aware proving on a real devnet (cli signer): the same 1,000-token session (proofInterval 100, answers of 100
 * tokens) proven every interval, then with `proofs.minValueToGas` 1 and `proofs.maxUnprovenIntervals` 4. At the
 * devnet's price (3000 wei a token) an interval is worth far less than a proof's gas, so the gas-aware host proves every
 * fourth interval and the rest at the end: fewer proofs, the same tokens, and the proof timeout never fires — not even
 * when the chain's clock jumps close to it while a proof waits.
 */
import { describe, expect, test } from "bun:test";
import { mine, openSession } from "../../helpers/devnet.ts";
import {
  openClient,
  proofEvents,
  promptAll,
  settlementBlock,
  startInProcessHost,
  proofDevnetHooks,
  transactionsFrom,
  waitForJob,
  waitForSettlement,
  type InProcessHost,
  type ProofDevnet,
} from "./fixtures/devnet-host.ts";

const PROOF_TIMEOUT = 60; // the devnet's smallest proofTimeoutWindow: the gas-aware host proves 15 s before it
let net: ProofDevnet;
const cleanups = proofDevnetHooks({ disputeWindow: 2 }, (started) => {
  net = started;
});

async function withHost(config: Record<string, unknown>, body: (h: InProcessHost) => Promise<void>): Promise<void> {
  const host = await startInProcessHost(net, { signer: "cli", config });
  cleanups.push(() => host.stop());
  try {
    await body(host);
  } finally {
    await host.stop();
  }
}

/** Ten answers of 100 tokens; `after(served, jobId)` runs after each. */
async function thousandTokens(h: InProcessHost, sessionId: string, after: (served: number, jobId: bigint) => Promise<void>): Promise<bigint> {
  const jobId = await openSession(net.devnet.deployment, net.devnet.provider, { proofInterval: 100, proofTimeoutWindow: PROOF_TIMEOUT });
  const client = await openClient(h.services.front.port, sessionId, { type: "session_init", job_id: Number(jobId) });
  for (let served = 100; served <= 1000; served += 100) {
    expect(await promptAll(client, sessionId, [100])).toBe(100);
    await after(served, jobId);
  }
  await client.close();
  return jobId;
}

async function expectPaidInFullWithoutTimeout(jobId: bigint): Promise<number[]> {
  const job = await waitForSettlement(net, jobId, 30_000);
  expect([job.status, job.tokensUsed]).toEqual([1, 1000]); // completed, not timed out; nothing lost at the end
  expect((await settlementBlock(net, jobId)).kind).toBe("completed");
  const events = await proofEvents(net, jobId);
  // Between two proofs (and from the start to the first) never as long as the proof timeout.
  let last = job.startTime;
  for (const event of events) {
    expect(event.timestamp - last).toBeLessThanOrEqual(PROOF_TIMEOUT);
    last = event.timestamp;
  }
  return events.map((e) => e.tokens);
}

describe("gas-aware proving", () => {
  test("fewer proofs than every interval, the same 1000 tokens paid, the proof timeout never fires", async () => {
    let everyInterval: number[] = [];
    await withHost({}, async (h) => {
      const jobId = await thousandTokens(h, "every", async (served, job) => {
        await waitForJob(net, job, (state) => state.tokensUsed === served, 15_000);
      });
      everyInterval = await expectPaidInFullWithoutTimeout(jobId);
    });
    expect(everyInterval).toEqual(Array(10).fill(100));

    let gasAware: number[] = [];
    await withHost({ "proofs.minValueToGas": 1, "proofs.maxUnprovenIntervals": 4 }, async (h) => {
      const jobId = await thousandTokens(h, "gas-aware", async (served, job) => {
        if (served === 400 || served === 600) await waitForJob(net, job, (state) => state.tokensUsed === served, 15_000);
        if (served === 500) {
          // A proof waits (100 unproven tokens); the chain's clock jumps to 10 s before the proof timeout. The next
          // answer finds the wait over: proven at once, before anyone could time the session out.
          const last = (await proofEvents(net, job)).at(-1)!.timestamp;
          const now = (await net.devnet.provider.getBlock("latest"))!.timestamp;
          await mine(net.devnet.rpcUrl, last + PROOF_TIMEOUT - 10 - now);
          // The pipeline trusts a reading of chain time for a second (chain-clock.ts): a real chain's
          // clock does not jump, this one just did.
          await Bun.sleep(1100);
        }
      });
      gasAware = await expectPaidInFullWithoutTimeout(jobId);
      expect(h.alerts).toEqual([]);
    });
    // Four intervals; the two waiting when the timeout came near; four more (the last answer ends on a whole interval).
    expect(gasAware).toEqual([400, 200, 400]);
    expect(gasAware.length).toBeLessThan(everyInterval.length);
    const sent = await transactionsFrom(net, net.devnet.deployment.accounts.host.address);
    expect(sent.filter((tx) => tx.status !== 1)).toEqual([]);
  }, 90_000);
});
