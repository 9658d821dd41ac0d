/**
 * Node mode (`node.signer = "node"`) on a real devnet: the node stand-in proves and settles its own sessions and the
 * CLI is the safety net, without ever billing a token twice.
 *  - A node that proves late (its RPC is slow, and it checkpoints every 1000 tokens like the real node,
 *    fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:25, while the session's proofInterval is 100): the CLI
 *    makes up no proof for tokens the node will prove itself, and whatever it proves for the node carries the node's own
 *    proof hash, which the marketplace takes once.
 *  - The node's RPC cut while it proves: its checkpoints fail, and the CLI proves them (with the node's hashes) before
 *    the sessions are settled, so none settles with fewer tokens proven than the node checkpointed.
 */
import { describe, expect, test } from "bun:test";
import { openSession } from "../../helpers/devnet.ts";
import { startRpcProxy, type RpcProxy } from "../chain/fixtures/rpc-proxy.ts";
import {
  openClient,
  proofEvents,
  promptAll,
  readJob,
  simEnvFor,
  startInProcessHost,
  proofDevnetHooks,
  transactionsFrom,
  waitForJob,
  waitForSettlement,
  type InProcessHost,
  type ProofDevnet,
} from "./fixtures/devnet-host.ts";
import { expectProvenExactlyOnce, nodeTokens } from "./fixtures/sessions.ts";

/** With proofs.graceSeconds 3 (the fixture's), the node's grace is min(3 s, window / 2) = 2 s. */
const DISPUTE_WINDOW = 4;
let net: ProofDevnet;
let proxy: RpcProxy;
const cleanups = proofDevnetHooks({ disputeWindow: DISPUTE_WINDOW }, async (started) => {
  net = started;
  proxy = await startRpcProxy(net.devnet.rpcUrl);
  cleanups.push(() => proxy.close());
});

/** A node-mode host whose node reaches the chain only through the proxy (the host and the test go direct). */
async function nodeModeHost(simExtra: Record<string, string>): Promise<InProcessHost> {
  const host = await startInProcessHost(net, { signer: "node", simEnv: simEnvFor(net, "node", { RPC_URL: proxy.url, ...simExtra }) });
  cleanups.push(() => host.stop());
  return host;
}

/** Proof hashes of the node's checkpoints for a session (GET /v1/checkpoints/:id). */
async function nodeHashes(host: InProcessHost, sessionId: string): Promise<string[]> {
  const body = (await (await fetch(`${host.sim.baseUrl}/v1/checkpoints/${sessionId}`)).json()) as {
    checkpoints: { proof_hash?: string; proofHash?: string }[];
  };
  return body.checkpoints.map((c) => String(c.proof_hash ?? c.proofHash).toLowerCase());
}

async function expectNoFailedHostTransaction(): Promise<void> {
  const sent = await transactionsFrom(net, net.devnet.deployment.accounts.host.address);
  expect(sent.filter((tx) => tx.status !== 1)).toEqual([]);
}

describe("a node that proves late", () => {
  test("the CLI makes up no proof while the node knows the session; no token is billed twice", async () => {
    proxy.mode = "pass";
    proxy.delayMs = 300; // every call of the node to its RPC takes 300 ms: its proofs land seconds late
    const host = await nodeModeHost({ SIM_CHECKPOINT_INTERVAL: "1000" });
    try {
      const jobId = await openSession(net.devnet.deployment, net.devnet.provider, { proofInterval: 100 });
      const client = await openClient(host.services.front.port, "late", { type: "session_init", job_id: Number(jobId) });
      // 500 tokens: five of the session's intervals are due, and the node has no checkpoint yet. Two graces later the
      // chain still has nothing: the CLI waits for the node (before, it claimed them with a hash of its own, and the
      // node's checkpoint of 1000 billed them again).
      expect(await promptAll(client, "late", [400, 100])).toBe(500);
      await Bun.sleep(4500);
      expect((await readJob(net, jobId)).tokensUsed).toBe(0);
      expect(host.metrics.filter((m) => m.type === "proof_submitted")).toEqual([]);
      // The node's checkpoint at 1000 tokens is proven (by the node, late, or by the CLI with the node's hash).
      expect(await promptAll(client, "late", [400, 400])).toBe(800);
      await waitForJob(net, jobId, (job) => job.tokensUsed >= 1000, 30_000);
      expect(await promptAll(client, "late", [200])).toBe(200);
      await client.close();
      const job = await waitForSettlement(net, jobId, 40_000);
      const served = await nodeTokens(host.sim.baseUrl, "late");
      expect(served).toBe(1500);
      expect([job.status, job.tokensUsed]).toEqual([1, 1500]);
      const events = await proofEvents(net, jobId);
      expect(events.map((e) => e.tokens)).toEqual([1000, 500]);
      // Every proof on chain is one of the node's checkpoints: none was made up.
      const hashes = await nodeHashes(host, "late");
      for (const event of events) expect(hashes).toContain(event.proofHash.toLowerCase());
      await expectProvenExactlyOnce(net, { jobId, interval: 100, generated: served, label: "late" });
      await expectNoFailedHostTransaction();
    } finally {
      proxy.delayMs = 0;
      await host.stop();
    }
  }, 90_000);
});

describe("the node's RPC cut while it proves", () => {
  test("no session settles with fewer tokens proven than the node checkpointed", async () => {
    proxy.mode = "pass";
    const host = await nodeModeHost({});
    try {
      const jobs: bigint[] = [];
      for (const token of ["ETH", "USDC", "ETH"] as const)
        jobs.push(await openSession(net.devnet.deployment, net.devnet.provider, { token, proofInterval: 100 }));
      const sessions = ["cut-a", "cut-b", "cut-c"];
      const clients = await Promise.all(
        jobs.map((jobId, i) => openClient(host.services.front.port, sessions[i]!, { type: "session_init", job_id: Number(jobId) })),
      );
      await Promise.all(clients.map((client, i) => promptAll(client, sessions[i]!, [150])));
      for (const jobId of jobs) await waitForJob(net, jobId, (job) => job.tokensUsed === 100, 15_000);
      expect(host.metrics.filter((m) => m.type === "proof_submitted")).toEqual([]); // the node proved those itself

      // The node's RPC goes away: every checkpoint it makes now fails to reach the chain, and so do its settlements.
      proxy.mode = "http-503";
      await Promise.all([promptAll(clients[0]!, sessions[0]!, [250]), promptAll(clients[1]!, sessions[1]!, [170]), promptAll(clients[2]!, sessions[2]!, [20])]);
      await Promise.all([clients[1]!.close(), clients[2]!.close()]);
      // The CLI proves the node's checkpoints itself, before anyone may settle.
      await waitForJob(net, jobs[0]!, (job) => job.tokensUsed === 400, 20_000);
      await waitForJob(net, jobs[1]!, (job) => job.tokensUsed === 300, 20_000);

      proxy.mode = "pass";
      await clients[0]!.close();
      for (const [i, jobId] of jobs.entries()) {
        await waitForSettlement(net, jobId, 40_000);
        await expectProvenExactlyOnce(net, {
          jobId,
          interval: 100,
          generated: await nodeTokens(host.sim.baseUrl, sessions[i]!),
          label: sessions[i]!,
          minimumBilling: false,
        });
        const hashes = await nodeHashes(host, sessions[i]!);
        for (const event of await proofEvents(net, jobId)) expect(hashes).toContain(event.proofHash.toLowerCase());
      }
      expect((await readJob(net, jobs[0]!)).tokensUsed).toBe(400);
      expect((await readJob(net, jobs[1]!)).tokensUsed).toBe(300);
      expect((await readJob(net, jobs[2]!)).tokensUsed).toBe(100); // a tail of 70 is under the minimum
      expect(host.metrics.filter((m) => m.type === "proof_submitted").length).toBeGreaterThan(0);
      await expectNoFailedHostTransaction();
    } finally {
      proxy.mode = "pass";
      await host.stop();
    }
  }, 90_000);
});
