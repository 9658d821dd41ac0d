/**
 * The node stand-in against the fixtures transcribed from the real node (fixtures.ts): same status codes, same keys in
 * the same order, same fixed values. The stand-in runs as a child process, as the host runs the node.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { EncryptedClientSession, publicKeyOf } from "../../scripts/devnet/sdk-crypto/index.ts";
import { FrameClient, makeModelDir, startSim } from "../integration/node-sim/harness.ts";
import { CHECKPOINTS_INDEX, CHECKPOINTS_KEYLESS, CHECKPOINTS_NONE, FRAMES, HEALTH_RUNNING, MODELS_RUNNING, type HttpFixture } from "./fixtures.ts";
import { shapeOfText } from "./shape.ts";

const TEST_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
const model = makeModelDir();
let keyed: Awaited<ReturnType<typeof startSim>>;
let keyless: Awaited<ReturnType<typeof startSim>>;
const clients: FrameClient[] = [];

beforeAll(async () => {
  const base = {
    MODEL_PATH: model.modelPath,
    SIM_TOKENS_PER_PROMPT: "40",
    SIM_TOKEN_DELAY_MS: "5",
    SIM_CHECKPOINT_INTERVAL: "1000",
    MAX_CONTEXT_LENGTH: "512",
  };
  [keyed, keyless] = await Promise.all([startSim({ ...base, HOST_PRIVATE_KEY: TEST_KEY }), startSim(base)]);
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all([keyed?.kill(), keyless?.kill()]);
  model.cleanup();
});

async function expectHttp(url: string, fixture: HttpFixture, transform: (text: string) => string = (text) => text): Promise<void> {
  const response = await fetch(url);
  expect(response.status).toBe(fixture.status);
  expect(shapeOfText(await response.text())).toEqual(shapeOfText(transform(fixture.body)));
}

async function connect(port: number): Promise<FrameClient> {
  const client = await FrameClient.connect(port);
  clients.push(client);
  await client.waitFor((frame) => frame.type === "connected");
  return client;
}

/** The raw text of the first frame after `from` that matches. */
async function rawFrame(client: FrameClient, from: number, match: (frame: Record<string, unknown>) => boolean): Promise<string> {
  const frame = await client.waitFor(match, 5000, from);
  return client.raw[client.frames.indexOf(frame)]!;
}

describe("stand-in conformance: HTTP", () => {
  test("/health, /v1/models", async () => {
    await expectHttp(`${keyed.baseUrl}/health`, HEALTH_RUNNING);
    expect(await (await fetch(`${keyed.baseUrl}/health`)).text()).toBe(HEALTH_RUNNING.body);
    await expectHttp(`${keyed.baseUrl}/v1/models`, MODELS_RUNNING);
  });

  test("/v1/checkpoints: 503 keyless, 404 none yet, the index once a checkpoint is published", async () => {
    await expectHttp(`${keyless.baseUrl}/v1/checkpoints/sess-1`, CHECKPOINTS_KEYLESS);
    await expectHttp(`${keyed.baseUrl}/v1/checkpoints/sess-1`, CHECKPOINTS_NONE);
    expect(await (await fetch(`${keyed.baseUrl}/v1/checkpoints/sess-1`)).text()).toBe(CHECKPOINTS_NONE.body);

    const client = await connect(keyed.port);
    client.send({ type: "session_init", session_id: "conf-index", job_id: 3 });
    await client.waitFor((frame) => frame.type === "session_init_ack");
    client.send({ type: "prompt", prompt: "a few tokens", max_tokens: 30 });
    await client.waitFor((frame) => frame.type === "stream_end");
    await client.close();
    await keyed.waitForOutput(/📍 Checkpoint 0 for session conf-index/);
    // The stand-in never encrypts a delta: compare with the fixture's plaintext entry.
    const plaintextOnly = (text: string) => {
      const body = JSON.parse(text) as { checkpoints: unknown[] };
      return JSON.stringify({ ...body, checkpoints: body.checkpoints.slice(0, 1) });
    };
    await expectHttp(`${keyed.baseUrl}/v1/checkpoints/conf-index`, CHECKPOINTS_INDEX, plaintextOnly);
  });
});

describe("stand-in conformance: WebSocket frames", () => {
  test("connected, session_init_ack, stream_chunk, stream_end (complete)", async () => {
    const client = await connect(keyed.port);
    expect(client.raw[0]).toBe(FRAMES.connected.frame);
    client.send({ type: "session_init", session_id: "sess-1", jobId: "42", chain_id: 84532, id: "m-1" });
    expect(await rawFrame(client, 0, (f) => f.type === "session_init_ack")).toBe(FRAMES.sessionInitAck.frame);
    const from = client.frames.length;
    client.send({ type: "prompt", prompt: "What is the capital of France?", id: "p-1" });
    expect(shapeOfText(await rawFrame(client, from, (f) => f.type === "stream_chunk"))).toEqual(shapeOfText(FRAMES.streamChunk.frame));
    expect(shapeOfText(await rawFrame(client, from, (f) => f.type === "stream_end"))).toEqual(shapeOfText(FRAMES.streamEndComplete.frame));
  });

  test("stream_end (cancelled), TOKEN_LIMIT_EXCEEDED and stream_end (error)", async () => {
    const client = await connect(keyed.port);
    client.send({ type: "session_init", session_id: "sess-1", job_id: 42 });
    await client.waitFor((frame) => frame.type === "session_init_ack");
    let from = client.frames.length;
    client.send({ type: "prompt", prompt: "long", id: "p-0" });
    await client.waitFor((frame) => frame.type === "stream_chunk", 5000, from);
    client.send({ type: "stream_cancel" });
    expect(shapeOfText(await rawFrame(client, from, (f) => f.type === "stream_end"))).toEqual(shapeOfText(FRAMES.streamEndCancelled.frame));
    from = client.frames.length;
    client.send({ type: "prompt", prompt: "x".repeat(2400), id: "p-2" });
    expect(await rawFrame(client, from, (f) => f.type === "error")).toBe(FRAMES.tokenLimitExceeded.frame);
    expect(await rawFrame(client, from, (f) => f.type === "stream_end")).toBe(FRAMES.streamEndError.frame);
  });

  test("encrypted: ENCRYPTION_NOT_SUPPORTED without a key; ack, encrypted_chunk, encrypted_response with one", async () => {
    const plain = await connect(keyless.port);
    plain.send({ type: "encrypted_session_init", session_id: "sess-1", chain_id: 84532, job_id: "42", payload: {}, id: "m-2" });
    expect(await rawFrame(plain, 0, (f) => f.type === "error")).toBe(FRAMES.encryptionNotSupported.frame);

    // A client that really encrypts (the SDK's scheme): the ack carries the job id sealed in the init.
    const sealed = new EncryptedClientSession({
      hostPublicKey: publicKeyOf(TEST_KEY),
      clientPrivateKey: `0x${"c1".repeat(32)}`,
      jobId: 42n,
      modelName: `0x${"ab".repeat(32)}`,
      pricePerToken: 5000,
      chainId: 84532,
      sessionId: "sess-1",
    });
    const client = await connect(keyed.port);
    client.send({ ...sealed.initFrame(), id: "m-2" });
    const ack = await rawFrame(client, 0, (f) => f.type === "session_init_ack");
    expect(shapeOfText(ack)).toEqual(shapeOfText(FRAMES.encryptedSessionInitAck.frame));
    expect(JSON.parse(ack)).toMatchObject({ job_id: 42, session_id: "sess-1", id: "m-2", chain_id: 84532 });
    const from = client.frames.length;
    client.send({ ...sealed.messageFrame("hello", 20), id: "e-1" });
    await client.waitFor((frame) => frame.type === "stream_end", 5000, from);
    const last = client.frames.filter((frame) => frame.type === "encrypted_chunk").at(-1)!;
    expect(shapeOfText(client.raw[client.frames.indexOf(last)]!)).toEqual(shapeOfText(FRAMES.encryptedChunk.frame));
    expect(shapeOfText(await rawFrame(client, from, (f) => f.type === "encrypted_response"))).toEqual(shapeOfText(FRAMES.encryptedResponse.frame));
  });
});
