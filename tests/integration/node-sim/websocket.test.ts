/**
 * The stand-in's WebSocket protocol against the real node's (fabstir-llm-node@85a87b8 src/api/server.rs:2063-4330)
 * and what the SDK sends (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/SessionManager.ts).
 */
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
      // Slow enough (about 400 ms per answer) for stream_cancel to land mid-stream.
      SIM_TOKEN_DELAY_MS: "10",
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

/** Keys of a raw frame in the order they were written. */
function keyOrder(raw: string): string[] {
  return Object.keys(JSON.parse(raw) as object);
}

/**
 * Sends frames the node has no answer for, then a session_init: frames on one socket are handled in order, so if the
 * ack is the first frame after them, they got no answer.
 */
async function expectSilence(client: FrameClient, frames: unknown[]): Promise<void> {
  const from = client.frames.length;
  for (const frame of frames) client.send(frame);
  client.send({ type: "session_init", session_id: "probe", job_id: 1, id: "probe" });
  await client.waitFor((frame) => frame.type === "session_init_ack" && frame.id === "probe", 5000, from);
  expect(client.frames.slice(from).map((frame) => frame.type)).toEqual(["session_init_ack"]);
}

describe("node stand-in WebSocket protocol", () => {
  test("greets with connected and acks the SDK's session_init with its id; every key is in sorted order", async () => {
    const client = await connect(plain.port);
    // server.rs:2074-2077
    expect(client.frames[0]).toEqual({ type: "connected", message: "WebSocket connected successfully" });
    // SessionManager.ts:2175-2181 (jobId camelCase, user_address) plus the id the WebSocket client adds (WebSocketClient.ts:208-209).
    client.send({ type: "session_init", chain_id: 31337, session_id: "sdk-1", jobId: "42", user_address: "0xabc", id: "m-1" });
    const ack = await client.waitFor((frame) => frame.type === "session_init_ack");
    // server.rs:2175-2187: status, message, numbers for job and chain, the id echoed.
    expect(ack).toEqual({
      type: "session_init_ack",
      status: "success",
      session_id: "sdk-1",
      job_id: 42,
      chain_id: 31337,
      message: "Session initialized successfully",
      id: "m-1",
    });
    for (const raw of client.raw) {
      const keys = keyOrder(raw);
      expect(keys).toEqual([...keys].sort());
    }
  });

  test("a plaintext prompt without session_id streams on the socket's session, one token a chunk, the id echoed", async () => {
    const client = await connect(plain.port);
    client.send({ type: "session_init", session_id: "snake-1", job_id: 42 });
    await client.waitFor((frame) => frame.type === "session_init_ack");
    const from = client.frames.length;
    // SessionManager.ts:1329-1338: the prompt carries the job id and a nested request, no session id.
    client.send({
      type: "prompt",
      chain_id: 31337,
      jobId: "42",
      prompt: "Tell me",
      request: { model: "m", prompt: "Tell me about hosts", max_tokens: 4000, temperature: 0.7, stream: true },
      id: "p-1",
    });
    const end = await client.waitFor((frame) => frame.type === "stream_end", 5000, from);
    const chunks = client.frames.slice(from).filter((frame) => frame.type === "stream_chunk");
    expect(chunks.length).toBe(40);
    expect(chunks.every((frame) => frame.tokens === 1 && frame.id === "p-1" && !("session_id" in frame))).toBe(true);
    expect(keyOrder(client.raw[from]!)).toEqual(["content", "id", "tokens", "type"]);
    // server.rs:3870-3893: complete, with usage and finish_reason, no session id.
    expect(end).toMatchObject({ reason: "complete", tokens_used: 40, id: "p-1", finish_reason: "stop" });
    expect("session_id" in end).toBe(false);
    const usage = end.usage as Record<string, number>;
    expect(usage.completion_tokens).toBe(40);
    expect(usage.context_window_size).toBe(512);
    expect(sumTokens(chunks)).toBe(40);
  });

  test("the prompt fallback takes max_tokens; inference needs a request object", async () => {
    const client = await connect(plain.port);
    client.send({ type: "session_init", sessionId: "camel-1", jobId: 7 });
    expect(await client.waitFor((frame) => frame.type === "session_init_ack")).toMatchObject({ session_id: "camel-1", job_id: 7, chain_id: null });
    const end = await runPrompt(client, "camel-1", "short please", { max_tokens: 9 });
    expect(end).toMatchObject({ tokens_used: 9, finish_reason: "length" });
    const from = client.frames.length;
    client.send({ type: "inference", request: { model: "m", prompt: "hi", max_tokens: 3 } });
    expect((await client.waitFor((frame) => frame.type === "stream_end", 5000, from)).tokens_used).toBe(3);
    // InferenceRequest needs model, prompt and max_tokens (src/api/handlers.rs:7-10): otherwise nothing at all.
    await expectSilence(client, [{ type: "inference", prompt: "no request object" }]);
  });

  test("stream_cancel ends the stream early: cancelled, with the socket's session and no id", async () => {
    const client = await connect(plain.port);
    client.send({ type: "session_init", session_id: "cancel-1", job_id: 1 });
    await client.waitFor((frame) => frame.type === "session_init_ack");
    const from = client.frames.length;
    client.send({ type: "prompt", prompt: "a long story", id: "c-1" });
    await client.waitFor((frame) => frame.type === "stream_chunk", 5000, from);
    client.send({ type: "stream_cancel", session_id: "cancel-1" });
    const end = await client.waitFor((frame) => frame.type === "stream_end", 5000, from);
    // server.rs:3824-3833
    expect(end).toMatchObject({ reason: "cancelled", finish_reason: "cancelled", session_id: "cancel-1" });
    expect("id" in end).toBe(false);
    expect(end.tokens_used as number).toBeLessThan(40);
    expect(sumTokens(client.frames.slice(from).filter((f) => f.type === "stream_chunk"))).toBe(end.tokens_used as number);
  });

  test("frames the node has no handler for get no answer, and it keeps serving", async () => {
    const client = await connect(plain.port);
    // Bad JSON, non-objects, unknown types, session_end and a JSON ping all fall through every handler.
    await expectSilence(client, [
      "{not json",
      "[1,2]",
      { no: "type" },
      { type: "teleport" },
      { type: "session_end", session_id: "x" },
      { type: "ping" },
      { type: "stream_cancel" },
    ]);
    const end = await runPrompt(client, "probe", "still alive?", { max_tokens: 5 });
    expect(end.tokens_used).toBe(5);
    expect((await fetch(`${plain.baseUrl}/health`)).status).toBe(200);
  });

  test("frames sent while an answer streams are dropped, except stream_cancel", async () => {
    const client = await connect(plain.port);
    client.send({ type: "session_init", session_id: "busy-1", job_id: 2 });
    await client.waitFor((frame) => frame.type === "session_init_ack");
    const from = client.frames.length;
    client.send({ type: "prompt", prompt: "first" });
    await client.waitFor((frame) => frame.type === "stream_chunk", 5000, from);
    client.send({ type: "session_init", session_id: "ignored", job_id: 3, id: "lost" });
    client.send({ type: "prompt", prompt: "second", id: "lost" });
    await client.waitFor((frame) => frame.type === "stream_end", 5000, from);
    await expectSilence(client, []);
    expect(client.frames.slice(from).filter((frame) => frame.id === "lost")).toEqual([]);
  });

  test("a prompt too long for the context: TOKEN_LIMIT_EXCEEDED with the id, then stream_end error", async () => {
    const client = await connect(plain.port);
    client.send({ type: "session_init", session_id: "too-long", job_id: 4 });
    await client.waitFor((frame) => frame.type === "session_init_ack");
    const from = client.frames.length;
    client.send({ type: "prompt", prompt: "x".repeat(4 * 600), id: "big" });
    const end = await client.waitFor((frame) => frame.type === "stream_end", 5000, from);
    const error = client.frames.slice(from).find((frame) => frame.type === "error")!;
    // server.rs:3908-3964
    expect(error).toMatchObject({ code: "TOKEN_LIMIT_EXCEEDED", id: "big", prompt_tokens: 600, context_window_size: 512 });
    expect(String(error.message)).toMatch(/^Prompt \(600 tokens\) exceeds context window \(512 tokens\)/);
    expect(end).toEqual({ type: "stream_end", reason: "error", tokens_used: 0, id: "big" });
  });

  test("without a host key, encrypted_session_init gets ENCRYPTION_NOT_SUPPORTED with the id", async () => {
    const client = await connect(plain.port);
    client.send({ type: "encrypted_session_init", session_id: "e", chain_id: 84532, job_id: "9", payload: {}, id: "e-1" });
    const error = await client.waitFor((frame) => frame.type === "error");
    // server.rs:2520-2545
    expect(error).toMatchObject({ code: "ENCRYPTION_NOT_SUPPORTED", session_id: "e", id: "e-1" });
  });

  // Keyed encrypted sessions, with a client that really encrypts: tests/integration/node-sim/encrypted.test.ts.

  test("encrypted_message on a session without a key is SESSION_KEY_NOT_FOUND", async () => {
    const client = await connect(keyed.port);
    client.send({ type: "encrypted_message", session_id: "nobody", id: "x", payload: { ciphertextHex: "00", nonceHex: "00", aadHex: "00" } });
    expect(await client.waitFor((frame) => frame.type === "error")).toMatchObject({ code: "SESSION_KEY_NOT_FOUND", id: "x" });
  });
});
