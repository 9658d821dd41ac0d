/**
 * Eight sessions at once on one host, with different proof intervals, ETH and USDC, each chatting a different number
 * of tokens: every due proof lands exactly once, thresholds are exact to the token, and every session is completed.
 * Then the same with the node as the signer (the CLI as its safety net).
 */
import { describe, expect, test } from "bun:test";
import { openSession } from "../../helpers/devnet.ts";
import {
  expectedTokensUsed,
  openClient,
  planOf,
  promptAll,
  proofEvents,
  readJob,
  settlementBlock,
  simEnvFor,
  startInProcessHost,
  proofDevnetHooks,
  transactionsFrom,
  waitForJob,
  waitForSettlement,
  type InProcessHost,
  type ProofDevnet,
  NODE_RACE_SAFE_DISPUTE_WINDOW,
} from "./fixtures/devnet-host.ts";

let net: ProofDevnet;
const cleanups = proofDevnetHooks({ disputeWindow: NODE_RACE_SAFE_DISPUTE_WINDOW }, (started) => {
  net = started;
});

interface Plan {
  interval: number;
  token: "ETH" | "USDC";
  tokens: number;
}

interface Outcome {
  jobId: bigint;
  plan: Plan;
  generated: number;
  provenBeforeEnd: number;
}

/** Opens the jobs (one after another: one client wallet), then chats them all at once. */
async function runSessions(host: InProcessHost, plans: Plan[], prefix: string): Promise<Outcome[]> {
  const jobs: bigint[] = [];
  for (const plan of plans) jobs.push(await openSession(net.devnet.deployment, net.devnet.provider, { token: plan.token, proofInterval: plan.interval }));
  return Promise.all(
    plans.map(async (plan, i) => {
      const jobId = jobs[i]!;
      const sessionId = `${prefix}-${i}`;
      const client = await openClient(host.services.front.port, sessionId, { type: "session_init", job_id: Number(jobId) });
      const generated = await (async () => {
        try {
          const tokens = await promptAll(client, sessionId, planOf(plan.tokens));
          // While the session is still open, every whole interval is proven, and not one token more.
          const due = Math.floor(tokens / Math.max(100, plan.interval)) * Math.max(100, plan.interval);
          if (due > 0) await waitForJob(net, jobId, (job) => job.tokensUsed >= due, 20_000);
          return tokens;
        } finally {
          await client.close();
        }
      })();
      const provenBeforeEnd = (await readJob(net, jobId)).tokensUsed;
      return { jobId, plan, generated, provenBeforeEnd };
    }),
  );
}

async function expectExactlyOnce(outcomes: Outcome[]): Promise<void> {
  const hostAddress = net.devnet.deployment.accounts.host.address;
  for (const { jobId, plan, generated, provenBeforeEnd } of outcomes) {
    const interval = Math.max(100, plan.interval);
    const label = `job ${jobId} (${plan.tokens} tokens at interval ${plan.interval}, ${plan.token})`;
    expect(generated, label).toBe(plan.tokens);
    // Mid-session: exactly the whole intervals, to the token.
    expect(provenBeforeEnd, label).toBe(Math.floor(generated / interval) * interval);
    const job = await waitForSettlement(net, jobId);
    expect(job.status, label).toBe(1);
    expect(job.tokensUsed, label).toBe(expectedTokensUsed(generated, plan.interval, provenBeforeEnd));
    const events = await proofEvents(net, jobId);
    expect(
      events.reduce((sum, e) => sum + e.tokens, 0),
      label,
    ).toBe(job.tokensUsed);
    expect(new Set(events.map((e) => e.cumulative)).size, label).toBe(events.length);
    expect(new Set(events.map((e) => e.proofHash)).size, label).toBe(events.length);
    if (events.length > 0) expect(events[0]!.tokens, label).toBeGreaterThanOrEqual(interval);
    // Every proof but the last lands on an interval boundary; the last is the boundary or the end of the session.
    for (const event of events.slice(0, -1)) expect(event.cumulative % interval, label).toBe(0);
    expect(
      events.every((e) => e.from === hostAddress),
      label,
    ).toBe(true);
    await settlementBlock(net, jobId); // exactly one settlement
  }
  // No transaction of the host ever reverted.
  const sent = await transactionsFrom(net, hostAddress);
  expect(sent.filter((tx) => tx.status !== 1)).toEqual([]);
}

describe("cli signer", () => {
  test("eight concurrent sessions: every due proof exactly once, thresholds exact, all completed", async () => {
    const host = await startInProcessHost(net, { signer: "cli" });
    cleanups.push(() => host.stop());
    const plans: Plan[] = [
      { interval: 100, token: "ETH", tokens: 350 },
      { interval: 100, token: "USDC", tokens: 99 },
      { interval: 150, token: "ETH", tokens: 460 },
      { interval: 150, token: "USDC", tokens: 300 },
      { interval: 250, token: "ETH", tokens: 249 },
      { interval: 250, token: "USDC", tokens: 880 },
      { interval: 400, token: "ETH", tokens: 1234 },
      { interval: 400, token: "USDC", tokens: 650 },
    ];
    const outcomes = await runSessions(host, plans, "cli");
    await expectExactlyOnce(outcomes);
    expect(host.alerts).toEqual([]);
    expect(host.metrics.filter((m) => m.type === "proof_failed")).toEqual([]);
    expect(host.metrics.filter((m) => m.type === "settled").length).toBe(plans.length);
  }, 60_000);
});

describe("node signer", () => {
  test("concurrent sessions proven by the node: nothing doubled by the safety net", async () => {
    const host = await startInProcessHost(net, { signer: "node", simEnv: simEnvFor(net, "node") });
    cleanups.push(() => host.stop());
    const plans: Plan[] = [
      { interval: 100, token: "ETH", tokens: 350 },
      { interval: 100, token: "USDC", tokens: 99 },
      { interval: 100, token: "USDC", tokens: 460 },
      { interval: 100, token: "ETH", tokens: 250 },
    ];
    const outcomes = await runSessions(host, plans, "node");
    await expectExactlyOnce(outcomes);
    // A healthy node did everything: the CLI sent no proof.
    expect(host.metrics.filter((m) => m.type === "proof_submitted")).toEqual([]);
    expect(host.alerts).toEqual([]);
  }, 60_000);
});
