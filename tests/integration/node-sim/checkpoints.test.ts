import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { solidityPackedKeccak256 } from "ethers";
import { FrameClient, makeModelDir, runPrompt, startSim } from "./harness.ts";

interface CheckpointIndex {
  session_id: string;
  job_id: string;
  total_tokens: number;
  checkpoints: {
    index: number;
    proof_hash: string;
    proof_cid: string;
    delta_cid: string;
    tokens: number;
    tokens_claimed: number;
    timestamp: number;
  }[];
}

const model = makeModelDir();
let sim: Awaited<ReturnType<typeof startSim>>;

beforeAll(async () => {
  sim = await startSim({
    MODEL_PATH: model.modelPath,
    SIM_CHECKPOINT_INTERVAL: "150",
    SIM_TOKENS_PER_PROMPT: "1000",
    SIM_TOKEN_DELAY_MS: "0",
  });
});

afterAll(async () => {
  await sim?.kill();
  model.cleanup();
});

async function index(sessionId: string): Promise<CheckpointIndex> {
  const response = await fetch(`${sim.baseUrl}/v1/checkpoints/${encodeURIComponent(sessionId)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as CheckpointIndex;
}

async function openSession(sessionId: string, jobId: number): Promise<FrameClient> {
  const client = await FrameClient.connect(sim.port);
  client.send({ type: "session_init", session_id: sessionId, job_id: jobId });
  await client.waitFor((frame) => frame.type === "session_init_ack");
  return client;
}

describe("node stand-in checkpoints", () => {
  test("records a checkpoint every SIM_CHECKPOINT_INTERVAL tokens with deterministic proof ids", async () => {
    const client = await openSession("cp-a", 11);
    try {
      await runPrompt(client, "cp-a", "first", { max_tokens: 200 });
      let result = await index("cp-a");
      expect(result).toMatchObject({ session_id: "cp-a", job_id: "11", total_tokens: 200 });
      expect(result.checkpoints.map((c) => c.tokens)).toEqual([150]);

      await runPrompt(client, "cp-a", "second", { max_tokens: 120 });
      result = await index("cp-a");
      expect(result.total_tokens).toBe(320);
      expect(result.checkpoints.map((c) => [c.index, c.tokens, c.tokens_claimed])).toEqual([
        [0, 150, 150],
        [1, 300, 150],
      ]);
      for (const checkpoint of result.checkpoints) {
        expect(checkpoint.proof_hash).toBe(
          solidityPackedKeccak256(["string", "uint256"], ["cp-a", BigInt(checkpoint.tokens)]),
        );
        expect(checkpoint.proof_hash).toMatch(/^0x[0-9a-f]{64}$/);
        expect(checkpoint.proof_cid).toMatch(/^bafkrei[a-z2-7]{52}$/);
        expect(checkpoint.delta_cid).toMatch(/^bafkrei[a-z2-7]{52}$/);
        expect(checkpoint.delta_cid).not.toBe(checkpoint.proof_cid);
        expect(Math.abs(checkpoint.timestamp - Date.now() / 1000)).toBeLessThan(60);
      }
    } finally {
      await client.close();
    }
    // The remainder (20 tokens) is below the provable minimum: no final checkpoint, index kept after close.
    await Bun.sleep(50);
    const after = await index("cp-a");
    expect(after.checkpoints).toHaveLength(2);
    expect(after.total_tokens).toBe(320);
  });

  test("a closing socket turns a provable remainder (>= 100 tokens) into a final checkpoint", async () => {
    const client = await openSession("cp-b", 12);
    await runPrompt(client, "cp-b", "remainder", { max_tokens: 260 });
    expect((await index("cp-b")).checkpoints.map((c) => c.tokens)).toEqual([150]);
    await client.close();
    await Bun.sleep(50);
    const result = await index("cp-b");
    expect(result.checkpoints.map((c) => [c.tokens, c.tokens_claimed])).toEqual([
      [150, 150],
      [260, 110],
    ]);
  });

  test("unknown sessions answer 404 JSON, and metrics count checkpoints", async () => {
    const response = await fetch(`${sim.baseUrl}/v1/checkpoints/no-such-session`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "session not found", session_id: "no-such-session" });

    const metrics = await (await fetch(`${sim.baseUrl}/metrics`)).text();
    expect(metrics).toContain("fabstir_checkpoints_total 4");
    expect(metrics).toContain("fabstir_tokens_generated_total 580");
  });
});
