/**
 * Encrypted sessions: the job id travels inside the ciphertext, so the front sees it only in the node's
 * `session_init_ack`, which carries the decrypted job id (fabstir-llm-node@85a87b8 src/api/server.rs:2434-2447; the
 * node's checkpoint index names no job, src/checkpoint/index.rs:13-27). The client encrypts as the SDK does, to the
 * host key in its on-chain metadata; the stand-in decrypts with HOST_PRIVATE_KEY as the node does. The pipeline proves the tokens with the
 * node's own checkpoint material where it has some, and settles. In node mode the node, which decrypts, proves by
 * itself and the CLI stays out of the way.
 */
import { describe, expect, test } from "bun:test";
import { EncryptedClientSession, readHostPublicKey } from "../../../scripts/devnet/sdk-crypto/index.ts";
import { openSession } from "../../helpers/devnet.ts";
import { startSim } from "../node-sim/harness.ts";
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
  NODE_RACE_SAFE_DISPUTE_WINDOW,
} from "./fixtures/devnet-host.ts";
import { expectProvenExactlyOnce, nodeTokens } from "./fixtures/sessions.ts";

let net: ProofDevnet;
const cleanups = proofDevnetHooks({ disputeWindow: NODE_RACE_SAFE_DISPUTE_WINDOW }, (started) => {
  net = started;
});

/**
 * A client that encrypts as the SDK does: the host's public key read from its on-chain metadata, the job id and
 * session key sealed in the init (the SDK also sends job_id in plaintext beside it).
 */
async function sealedClient(sessionId: string, jobId: bigint): Promise<EncryptedClientSession> {
  const { deployment, provider } = net.devnet;
  const host = deployment.accounts.host.address;
  const modelId = deployment.models[0]!.id;
  return new EncryptedClientSession({
    hostPublicKey: await readHostPublicKey(provider, deployment.contracts.nodeRegistry, host),
    clientPrivateKey: deployment.accounts.client.privateKey,
    jobId,
    modelName: modelId,
    pricePerToken: (await readJob(net, jobId)).pricePerToken,
    chainId: 31337,
    sessionId,
  });
}

type Setup = { sim: Awaited<ReturnType<typeof startSim>>; host: InProcessHost };

/** A stand-in, the relay and a host for one test, all stopped when it ends (no two hosts act for one account). */
async function withEncryptedHost(signer: "node" | "cli", body: (setup: Setup) => Promise<void>): Promise<void> {
  // The node holds the host key (it decrypts); in cli mode it has no chain settings, so it never submits anything.
  const sim = await startSim(simEnvFor(net, signer, {}, { hostKey: true, chain: signer === "node" }));
  const stop = async () => {
    await sim.kill();
  };
  cleanups.push(stop);
  const host = await startInProcessHost(net, { signer, sim });
  cleanups.push(() => host.stop());
  try {
    await body({ sim, host });
  } finally {
    await host.stop();
    await stop();
  }
}

describe("cli signer", () => {
  test("an encrypted session's tokens are proven with the node's checkpoints and settled, its job learnt from the node's ack", async () => {
    await withEncryptedHost("cli", async ({ sim, host }) => {
      const jobId = await openSession(net.devnet.deployment, net.devnet.provider, { token: "USDC", proofInterval: 100 });
      const sealed = await sealedClient("sealed-1", jobId);
      const client = await openClient(host.services.front.port, "sealed-1", sealed.initFrame());
      expect(client.framesOfType("session_init_ack")[0]!.job_id).toBe(Number(jobId));
      // The monitor saw an encrypted session and took its job from the ack.
      expect(host.services.monitor.session("sealed-1")).toMatchObject({ encrypted: true, jobId: jobId.toString() });
      const tokens = await promptAll(client, "sealed-1", [180, 170], sealed);
      expect(tokens).toBe(350);
      expect(client.framesOfType("encrypted_chunk").length).toBeGreaterThan(0);
      // Through the front unchanged: the last answer's chunks open with the session key of the init before it.
      expect(sealed.open(client.framesOfType("encrypted_chunk").at(-1)!)).toMatch(/\w/);
      await waitForJob(net, jobId, (job) => job.tokensUsed === 300, 15_000); // the whole intervals, mid-session
      await client.close();
      const job = await waitForSettlement(net, jobId, 20_000);
      expect([job.status, job.tokensUsed]).toEqual([1, 300]);
      await expectProvenExactlyOnce(net, { jobId, interval: 100, generated: await nodeTokens(sim.baseUrl, "sealed-1"), label: "sealed-1" });
      // Each proof carries the node's own proof hash for that token count (its checkpoints are every 100 tokens).
      const index = (await (await fetch(`${sim.baseUrl}/v1/checkpoints/sealed-1`)).json()) as {
        checkpoints: { tokenRange: [number, number]; proofHash: string }[];
      };
      for (const event of await proofEvents(net, jobId)) {
        expect(event.proofHash).toBe(index.checkpoints.find((c) => c.tokenRange[1] === event.cumulative)!.proofHash);
      }
      expect(host.alerts).toEqual([]);
    });
  }, 40_000);

  test("two encrypted sessions at once, each matched to its own job", async () => {
    await withEncryptedHost("cli", async ({ sim, host }) => {
      const jobs = [
        await openSession(net.devnet.deployment, net.devnet.provider, { proofInterval: 100 }),
        await openSession(net.devnet.deployment, net.devnet.provider, { proofInterval: 200 }),
      ];
      const plans = [[300], [150, 160]];
      await Promise.all(
        jobs.map(async (jobId, i) => {
          const sessionId = `sealed-pair-${i}`;
          const sealed = await sealedClient(sessionId, jobId);
          const client = await openClient(host.services.front.port, sessionId, sealed.initFrame());
          await promptAll(client, sessionId, plans[i]!, sealed);
          await client.close();
        }),
      );
      for (const [i, jobId] of jobs.entries()) {
        const job = await waitForSettlement(net, jobId, 20_000);
        expect(job.status).toBe(1);
        expect(job.tokensUsed).toBe(i === 0 ? 300 : 310); // the whole of each: no tail under 100 after a last interval
        await expectProvenExactlyOnce(net, {
          jobId,
          interval: i === 0 ? 100 : 200,
          generated: await nodeTokens(sim.baseUrl, `sealed-pair-${i}`),
          label: `sealed-pair-${i}`,
        });
      }
    });
  }, 40_000);
});

describe("node signer", () => {
  test("the node proves the encrypted session itself; the CLI, its safety net, sends nothing", async () => {
    await withEncryptedHost("node", async ({ sim, host }) => {
      const jobId = await openSession(net.devnet.deployment, net.devnet.provider, { proofInterval: 100 });
      const sealed = await sealedClient("sealed-node", jobId);
      const client = await openClient(host.services.front.port, "sealed-node", sealed.initFrame());
      await promptAll(client, "sealed-node", [230], sealed);
      await client.close();
      const job = await waitForSettlement(net, jobId, 20_000);
      expect([job.status, job.tokensUsed]).toEqual([1, 200]); // the node's checkpoints; a tail of 30 is under the minimum
      await expectProvenExactlyOnce(net, { jobId, interval: 100, generated: await nodeTokens(sim.baseUrl, "sealed-node"), label: "sealed-node" });
      expect(host.metrics.filter((m) => m.type === "proof_submitted")).toEqual([]);
      const sent = await transactionsFrom(net, net.devnet.deployment.accounts.host.address);
      expect(sent.filter((tx) => tx.status !== 1)).toEqual([]);
    });
  }, 40_000);
});
