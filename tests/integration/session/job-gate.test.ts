/**
 * Jobs checked before they cost anything, against the devnet's JobMarketplace and the node stand-in. Before: 300
 * session_inits with invented job ids gave 300 "proofs stopped" errors and alerts and 600 files in proofs/active that
 * never moved. Now each is refused at the front with an error frame shaped like the node's, the node never sees it,
 * nothing is recorded, and one alert sums them up.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { openSession, registerHost, DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { startSim } from "../node-sim/harness.ts";
import { hostConfig, promptAll, simEnvFor, startProofDevnet, type ProofDevnet } from "../proof/fixtures/devnet-host.ts";
import { connectChain, type ChainClient } from "../../../src/chain/index.ts";
import { chainJobReader, startSessionServices, type SessionServices } from "../../../src/session/services.ts";
import type { RefusalSummary } from "../../../src/session/refusals.ts";
import { systemClock } from "../../../src/util/clock.ts";
import { createNullLogger } from "../../../src/ops/logging/logger.ts";
import { RawWebSocket } from "./raw-client.ts";
import { FrameClient } from "../node-sim/harness.ts";

let net: ProofDevnet;

beforeAll(async () => {
  net = await startProofDevnet();
  await registerHost(net.devnet.deployment, net.devnet.provider, { account: net.devnet.deployment.accounts.client, apiUrl: "http://127.0.0.1:9" });
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await net?.stop();
});

interface GatedHost {
  services: SessionServices;
  stateDir: string;
  reads: bigint[];
  refusals: RefusalSummary[];
  alerts: string[];
  stop(): Promise<void>;
}

async function startGatedHost(): Promise<GatedHost> {
  const sim = await startSim(simEnvFor(net, "cli"));
  const config = hostConfig(net, "cli");
  const chain: ChainClient = connectChain(config, {});
  const stateDir = mkdtempSync(join(tmpdir(), "gated-host-"));
  const reads: bigint[] = [];
  const refusals: RefusalSummary[] = [];
  const alerts: string[] = [];
  const read = chainJobReader(chain);
  const services = await startSessionServices({
    config,
    chain,
    signer: new Wallet(net.devnet.deployment.accounts.host.privateKey),
    stateDir,
    nodeUrl: sim.baseUrl,
    hostname: "127.0.0.1",
    port: 0,
    clock: systemClock,
    fetch: (input, init) => fetch(input, init),
    logger: createNullLogger(),
    readJob: (jobId) => (reads.push(jobId), read(jobId)),
    onRefusals: (summary) => refusals.push(summary),
    onAlert: (kind, message) => alerts.push(`${kind}: ${message}`),
  });
  let stopped = false;
  return {
    services,
    stateDir,
    reads,
    refusals,
    alerts,
    async stop() {
      if (stopped) return;
      stopped = true;
      await services.stop({ drainMs: 0 });
      chain.close();
      await sim.kill();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** One init on its own socket; returns the raw text of the answer and how the socket closed. */
async function initOnce(port: number, init: Record<string, unknown>): Promise<{ text: string; code: number }> {
  const { ws } = await RawWebSocket.open(port);
  await ws!.waitFor(() => ws!.texts().some((f) => f.type === "connected"));
  ws!.sendJson(init);
  const code = await ws!.closed();
  const answer = ws!.frames
    .filter((f) => f.opcode === 1)
    .map((f) => f.payload.toString("utf8"))
    .find((t) => !t.includes('"connected"'));
  return { text: answer ?? "", code };
}

describe("the front checks a session_init's job before the node sees it", () => {
  test("300 inits with invented job ids: 300 error frames, nothing recorded, one read per job, one alert", async () => {
    const host = await startGatedHost();
    try {
      const port = host.services.front.port;
      const first = 1_000_000;
      for (let i = 0; i < 300; i++) {
        const { text, code } = await initOnce(port, { type: "session_init", id: `req-${i}`, session_id: `flood-${i}`, job_id: first + i, chain_id: 31337 });
        // The node's error shape, keys in serde_json's alphabetical order, the request id echoed
        // (fabstir-llm-node@85a87b8 src/api/server.rs:2460-2467).
        expect(text).toBe(`{"code":"JOB_NOT_FOUND","id":"req-${i}","message":"Job ${first + i} does not exist","session_id":"flood-${i}","type":"error"}`);
        expect(code).toBe(1008);
      }
      expect(host.reads).toHaveLength(300);
      expect(host.services.front.stats().refusedSessions).toBe(300);
      expect(host.services.pipeline.snapshot()).toEqual([]);
      expect(host.services.monitor.activeSessions()).toEqual([]);
      expect(readdirSync(join(host.stateDir, "proofs", "active"))).toEqual([]);
      // Summed per address: nothing yet inside the window, one summary when it ends (here: the front stops).
      expect(host.alerts).toEqual([]);
      await host.services.front.stop();
      expect(host.refusals.map((r) => [r.address, r.count])).toEqual([["127.0.0.1", 300]]);
      expect(host.alerts).toHaveLength(1);
      expect(host.alerts[0]).toStartWith("sessions_refused: 300 sessions refused for unknown jobs from address 127.0.0.1");
    } finally {
      await host.stop();
    }
  }, 60_000);

  test("another host's job is refused, plaintext or encrypted; this host's job is served, its job read once", async () => {
    const host = await startGatedHost();
    try {
      const { deployment } = net.devnet;
      const port = host.services.front.port;
      const ours = await openSession(deployment, net.devnet.provider, { proofInterval: 100 });
      const foreign = await openSession(deployment, net.devnet.provider, {
        account: deployment.accounts.deployer,
        host: deployment.accounts.client.address,
        proofInterval: 100,
      });
      const plain = await initOnce(port, { type: "session_init", session_id: "intruder", jobId: String(foreign), chain_id: 31337 });
      expect(JSON.parse(plain.text)).toEqual({
        code: "JOB_WRONG_HOST",
        message: `Job ${foreign} was opened for another host`,
        session_id: "intruder",
        type: "error",
      });
      // The SDK's encrypted init: the job id travels in plaintext next to the payload (SessionManager.ts:2120-2125).
      const encrypted = await initOnce(port, {
        type: "encrypted_session_init",
        payload: { ephPubHex: "00", ciphertextHex: "00", signatureHex: "00", nonceHex: "00", aadHex: "" },
        chain_id: 31337,
        session_id: "intruder-e",
        job_id: String(foreign),
        id: 7,
      });
      expect(JSON.parse(encrypted.text)).toMatchObject({ code: "JOB_WRONG_HOST", id: 7, session_id: "intruder-e" });
      const missing = await initOnce(port, { type: "session_init", session_id: "no-job", chain_id: 31337 });
      expect(JSON.parse(missing.text)).toMatchObject({ code: "INVALID_JOB_ID" });

      // Two sessions of the honest job, the second on a socket that pipelines its prompt right behind the init.
      const client = await FrameClient.connect(port);
      await client.waitFor((f) => f.type === "connected");
      client.send({ type: "session_init", session_id: "honest", job_id: Number(ours), chain_id: 31337 });
      client.send({ type: "prompt", session_id: "honest", prompt: "hello", max_tokens: 30 });
      await client.waitFor((f) => f.type === "stream_end", 20_000); // one socket, one session: the node names none on a plaintext stream_end
      const again = await FrameClient.connect(port);
      await again.waitFor((f) => f.type === "connected");
      again.send({ type: "session_init", session_id: "honest-2", job_id: String(ours), chain_id: 31337 });
      await again.waitFor((f) => f.type === "session_init_ack");
      expect(await promptAll(again, "honest-2", [20])).toBe(20);
      expect(host.reads.filter((id) => id === ours)).toHaveLength(1);
      await client.close();
      await again.close();
      await host.services.front.stop();
      expect(host.refusals).toHaveLength(1);
      expect(host.refusals[0]).toMatchObject({ address: "127.0.0.1", count: 3, reasons: { JOB_WRONG_HOST: 2, INVALID_JOB_ID: 1 } });
    } finally {
      await host.stop();
    }
  }, 60_000);
});
