/**
 * The stand-in's checkpoint index against the real node's: CheckpointIndex (fabstir-llm-node@85a87b8
 * src/checkpoint/index.rs:13-51) served by src/api/server.rs:1630-1716, with the tracker rules of
 * src/contracts/checkpoint_manager.rs:332-486 and 1211-1250.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { verifyMessage, Wallet } from "ethers";
import { proofBytes, proofHash } from "../../../scripts/devnet/node-sim/proof-ids.ts";
import { nodeJson } from "../../../scripts/devnet/node-sim/wire.ts";
import { FrameClient, makeModelDir, runPrompt, startSim } from "./harness.ts";

const TEST_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
const HOST = new Wallet(TEST_KEY).address.toLowerCase();

interface Entry {
  index: number;
  proofHash: string;
  deltaCid: string;
  tokenRange: [number, number];
  timestamp: number;
}
interface CheckpointIndex {
  sessionId: string;
  hostAddress: string;
  hostSignature: string;
  checkpoints: Entry[];
}

const model = makeModelDir();
let sim: Awaited<ReturnType<typeof startSim>>;
let keyless: Awaited<ReturnType<typeof startSim>>;
let slow: Awaited<ReturnType<typeof startSim>>;

beforeAll(async () => {
  const base = { MODEL_PATH: model.modelPath, SIM_CHECKPOINT_INTERVAL: "150", SIM_TOKENS_PER_PROMPT: "1000", SIM_TOKEN_DELAY_MS: "0" };
  [sim, keyless, slow] = await Promise.all([
    startSim({ ...base, HOST_PRIVATE_KEY: TEST_KEY }),
    startSim(base),
    startSim({ ...base, HOST_PRIVATE_KEY: TEST_KEY, SIM_PROOF_DELAY_MS: "1500" }),
  ]);
});

afterAll(async () => {
  await Promise.all([sim?.kill(), keyless?.kill(), slow?.kill()]);
  model.cleanup();
});

async function index(baseUrl: string, sessionId: string): Promise<{ body: CheckpointIndex; raw: string }> {
  const response = await fetch(`${baseUrl}/v1/checkpoints/${encodeURIComponent(sessionId)}`);
  expect(response.status).toBe(200);
  const raw = await response.text();
  return { body: JSON.parse(raw) as CheckpointIndex, raw };
}

const ranges = (body: CheckpointIndex) => body.checkpoints.map((c) => c.tokenRange);

async function openSession(port: number, sessionId: string, jobId: number): Promise<FrameClient> {
  const client = await FrameClient.connect(port);
  client.send({ type: "session_init", session_id: sessionId, job_id: jobId });
  await client.waitFor((frame) => frame.type === "session_init_ack");
  return client;
}

describe("node stand-in checkpoints", () => {
  test("a checkpoint every SIM_CHECKPOINT_INTERVAL tokens, in the real index's shape, signed by the host", async () => {
    const client = await openSession(sim.port, "cp-a", 11);
    try {
      await runPrompt(client, "cp-a", "first", { max_tokens: 200 });
      let { body, raw } = await index(sim.baseUrl, "cp-a");
      // Keys sorted at every depth (to_value, server.rs:1672): checkpoints, hostAddress, hostSignature, sessionId.
      expect(Object.keys(JSON.parse(raw) as object)).toEqual(["checkpoints", "hostAddress", "hostSignature", "sessionId"]);
      expect(Object.keys((JSON.parse(raw) as CheckpointIndex).checkpoints[0]!)).toEqual(["deltaCid", "index", "proofHash", "timestamp", "tokenRange"]);
      expect(body).toMatchObject({ sessionId: "cp-a", hostAddress: HOST });
      expect(ranges(body)).toEqual([[0, 150]]);

      await runPrompt(client, "cp-a", "second", { max_tokens: 120 });
      ({ body } = await index(sim.baseUrl, "cp-a"));
      expect(body.checkpoints.map((c) => [c.index, ...c.tokenRange])).toEqual([
        [0, 0, 150],
        [1, 150, 300],
      ]);
      for (const checkpoint of body.checkpoints) {
        // proof hash = sha256(proof bytes) (checkpoint_manager.rs:935-939).
        expect(checkpoint.proofHash).toBe(proofHash(proofBytes("11", "cp-a", ...checkpoint.tokenRange)));
        expect(checkpoint.deltaCid).toMatch(/^bafkrei[a-z2-7]{52}$/);
        // Milliseconds (index.rs:44-45).
        expect(Math.abs(checkpoint.timestamp - Date.now())).toBeLessThan(60_000);
      }
      // EIP-191 over the compact sorted JSON of the checkpoints (index.rs:76-81, signer.rs:31-48).
      expect(verifyMessage(nodeJson(body.checkpoints), body.hostSignature).toLowerCase()).toBe(HOST);
    } finally {
      await client.close();
    }
    // The remainder (20 tokens) is under MIN_PROVEN_TOKENS after a first checkpoint: nothing more (checkpoint_manager.rs:1237-1250).
    await sim.waitForOutput(/Session cp-a ended after 320 tokens/);
    expect((await index(sim.baseUrl, "cp-a")).body.checkpoints).toHaveLength(2);
  });

  test("a closing socket turns a remainder of at least 100 tokens into a final checkpoint", async () => {
    const client = await openSession(sim.port, "cp-b", 12);
    await runPrompt(client, "cp-b", "remainder", { max_tokens: 260 });
    expect(ranges((await index(sim.baseUrl, "cp-b")).body)).toEqual([[0, 150]]);
    await client.close();
    await sim.waitForOutput(/📍 Checkpoint 1 for session cp-b/);
    expect(ranges((await index(sim.baseUrl, "cp-b")).body)).toEqual([
      [0, 150],
      [150, 260],
    ]);
  });

  test("a short session's only checkpoint is padded to the job's minimum (the proofInterval; here the fallback)", async () => {
    const client = await openSession(sim.port, "cp-short", 13);
    await runPrompt(client, "cp-short", "short", { max_tokens: 30 });
    expect((await fetch(`${sim.baseUrl}/v1/checkpoints/cp-short`)).status).toBe(404);
    await client.close();
    await sim.waitForOutput(/📍 Checkpoint 0 for session cp-short/);
    // checkpoint_manager.rs:1226-1236: a first checkpoint claims at least proofInterval, even past what was generated.
    expect(ranges((await index(sim.baseUrl, "cp-short")).body)).toEqual([[0, 150]]);
  });

  test("no checkpoint yet is 404; a node without a host key is 503", async () => {
    const missing = await fetch(`${sim.baseUrl}/v1/checkpoints/no-such-session`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "No checkpoints found for session no-such-session" });

    const client = await openSession(keyless.port, "cp-keyless", 14);
    await runPrompt(client, "cp-keyless", "first", { max_tokens: 200 });
    const keylessAnswer = await fetch(`${keyless.baseUrl}/v1/checkpoints/cp-keyless`);
    expect(keylessAnswer.status).toBe(503);
    expect(await keylessAnswer.json()).toEqual({ error: "Checkpoint service unavailable" });
    await client.close();
  });

  test("SIM_PROOF_DELAY_MS: a checkpoint shows only once its proof is generated; none is triggered meanwhile", async () => {
    const client = await openSession(slow.port, "cp-slow", 15);
    await runPrompt(client, "cp-slow", "first", { max_tokens: 400 });
    // 400 tokens streamed at once: the first checkpoint triggered at 150 is still being proven, so 300 did not trigger.
    expect((await fetch(`${slow.baseUrl}/v1/checkpoints/cp-slow`)).status).toBe(404);
    await slow.waitForOutput(/📍 Checkpoint 0 for session cp-slow/);
    expect(ranges((await index(slow.baseUrl, "cp-slow")).body)).toEqual([[0, 150]]);
    await client.close();
    // The remainder since 150 (250 tokens) is forced when the session ends.
    await slow.waitForOutput(/📍 Checkpoint 1 for session cp-slow/);
    expect(ranges((await index(slow.baseUrl, "cp-slow")).body)).toEqual([
      [0, 150],
      [150, 400],
    ]);
  });

  test("metrics keep the real node's block and add the stand-in's counters", async () => {
    const response = await fetch(`${sim.baseUrl}/metrics`);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4");
    const metrics = await response.text();
    expect(metrics.startsWith("# HELP http_requests_total Total HTTP requests\n")).toBe(true);
    expect(metrics).toContain("fabstir_checkpoints_total 5");
    expect(metrics).toContain("fabstir_tokens_generated_total 610");
  });
});
