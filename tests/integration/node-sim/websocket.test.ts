import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { FrameClient, makeModelDir, runPrompt, startSim, type Frame } from "./harness.ts";

const TEST_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

const model = makeModelDir();
let plain: Awaited<ReturnType<typeof startSim>>;
let keyed: Awaited<ReturnType<typeof startSim>>;
const clients: FrameClient[] = [];

beforeAll(async () => {
  [plain, keyed] = await Promise.all([
    startSim({
      MODEL_PATH: model.modelPath,
      SIM_TOKENS_PER_PROMPT: "40",
      // Slow enough (about 160 ms per answer) for stream_cancel to land mid-stream.
      SIM_TOKEN_DELAY_MS: "10",
      CHAIN_ID: "31337",
      MAX_CONTEXT_LENGTH: "512",
    }),
    startSim({ MODEL_PATH: model.modelPath, SIM_TOKENS_PER_PROMPT: "20", SIM_TOKEN_DELAY_MS: "0", HOST_PRIVATE_KEY: TEST_KEY }),
  ]);
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all([plain?.kill(), keyed?.kill()]);
  model.cleanup();
});

async function connect(port: number): Promise<FrameClient> {
  const client = await FrameClient.connect(port);
  clients.push(client);
  await client.waitFor((frame) => frame.type === "connected");
  return client;
}

function sumTokens(frames: Frame[]): number {
  return frames.reduce((sum, frame) => sum + Number(frame.tokens), 0);
}

describe("node stand-in WebSocket protocol", () => {
  test("greets with connected, acks a snake_case session_init and streams a prompt", async () => {
    const client = await connect(plain.port);
    expect(client.frames[0]).toEqual({ type: "connected" });
    client.send({ type: "session_init", session_id: "snake-1", job_id: 42, chain_id: 31337 });
    const ack = await client.waitFor((frame) => frame.type === "session_init_ack");
    expect(ack).toMatchObject({ session_id: "snake-1", job_id: "42" });

    const end = await runPrompt(client, "snake-1", "Tell me about hosts");
    const chunks = client.framesOfType("stream_chunk", "snake-1");
    expect(chunks.length).toBeGreaterThan(1);
    expect(end.reason).toBe("complete");
    expect(end.tokens_used).toBe(40);
    expect(sumTokens(chunks)).toBe(end.tokens_used as number);
    const usage = end.usage as Record<string, number>;
    expect(usage.completion_tokens).toBe(40);
    expect(usage.total_tokens).toBe((usage.prompt_tokens ?? 0) + 40);
    expect(chunks.every((frame) => typeof frame.content === "string" && frame.content !== "")).toBe(true);
  });

  test("accepts camelCase ids, honours max_tokens and the inference alias", async () => {
    const client = await connect(plain.port);
    client.send({ type: "session_init", sessionId: "camel-1", jobId: "7", chainId: 31337 });
    expect(await client.waitFor((frame) => frame.type === "session_init_ack")).toMatchObject({
      session_id: "camel-1",
      job_id: "7",
    });
    const from = client.frames.length;
    client.send({ type: "inference", sessionId: "camel-1", content: "short please", maxTokens: 9 });
    const end = await client.waitFor((frame) => frame.type === "stream_end", 5000, from);
    expect(end.tokens_used).toBe(9);
    expect(sumTokens(client.framesOfType("stream_chunk", "camel-1"))).toBe(9);
  });

  test("stream_cancel ends the stream early with reason cancelled", async () => {
    const client = await connect(plain.port);
    client.send({ type: "session_init", session_id: "cancel-1", job_id: 1 });
    await client.waitFor((frame) => frame.type === "session_init_ack");
    client.send({ type: "prompt", session_id: "cancel-1", prompt: "a long story" });
    await client.waitFor((frame) => frame.type === "stream_chunk");
    client.send({ type: "stream_cancel", session_id: "cancel-1" });
    const end = await client.waitFor((frame) => frame.type === "stream_end");
    expect(end.reason).toBe("cancelled");
    expect(end.tokens_used as number).toBeLessThan(40);
    expect(sumTokens(client.framesOfType("stream_chunk", "cancel-1"))).toBe(end.tokens_used as number);
  });

  test("answers bad frames with error frames and keeps serving", async () => {
    const client = await connect(plain.port);
    const expectError = async (raw: unknown, code: string) => {
      const from = client.frames.length;
      client.send(raw);
      const error = await client.waitFor((frame) => frame.type === "error", 5000, from);
      expect(error.code).toBe(code);
      expect(typeof error.message).toBe("string");
    };
    await expectError("{not json", "INVALID_JSON");
    await expectError("[1,2]", "INVALID_MESSAGE");
    await expectError({ no: "type" }, "INVALID_MESSAGE");
    await expectError({ type: "teleport" }, "UNKNOWN_MESSAGE_TYPE");
    await expectError({ type: "session_init", job_id: 1 }, "INVALID_REQUEST");
    await expectError({ type: "session_init", session_id: "x", job_id: "minus-one" }, "INVALID_REQUEST");
    await expectError({ type: "session_init", session_id: "x", job_id: 1, chain_id: 8453 }, "UNSUPPORTED_CHAIN");
    await expectError({ type: "prompt", session_id: "never-opened", prompt: "hi" }, "SESSION_NOT_FOUND");
    await expectError({ type: "encrypted_session_init", session_id: "e", payload: {} }, "ENCRYPTION_NOT_SUPPORTED");
    client.send({ type: "session_init", session_id: "too-long", job_id: 4 });
    await client.waitFor((frame) => frame.type === "session_init_ack" && frame.session_id === "too-long");
    await expectError({ type: "prompt", session_id: "too-long", prompt: "x".repeat(4 * 600) }, "CONTEXT_LENGTH_EXCEEDED");

    client.send({ type: "ping" });
    await client.waitFor((frame) => frame.type === "pong");
    client.send({ type: "session_init", session_id: "after-errors", job_id: 3 });
    const end = await runPrompt(client, "after-errors", "still alive?", { max_tokens: 5 });
    expect(end.tokens_used).toBe(5);
    expect((await fetch(`${plain.baseUrl}/health`)).status).toBe(200);
  });

  test("open sessions show in /metrics and session_end keeps the checkpoint index", async () => {
    const client = await connect(keyed.port);
    client.send({ type: "session_init", session_id: "metrics-1", job_id: 5 });
    await client.waitFor((frame) => frame.type === "session_init_ack");
    const before = await (await fetch(`${keyed.baseUrl}/metrics`)).text();
    expect(before).toMatch(/fabstir_sessions_active [1-9]/);
    client.send({ type: "session_end", session_id: "metrics-1" });
    await Bun.sleep(50);
    const index = (await (await fetch(`${keyed.baseUrl}/v1/checkpoints/metrics-1`)).json()) as Record<string, unknown>;
    expect(index).toMatchObject({ session_id: "metrics-1", job_id: "5", checkpoints: [], total_tokens: 0 });
  });
});
