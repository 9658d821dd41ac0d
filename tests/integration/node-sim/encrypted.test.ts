/**
 * The stand-in's encrypted sessions against a client that really encrypts (scripts/devnet/sdk-crypto, the SDK's
 * algorithm): the job id and session key come out of the sealed init, prompts are decrypted, every chunk and the final
 * response are sealed with the session key — as fabstir-llm-node@85a87b8 src/api/server.rs:2197-3420 does.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { EncryptedClientSession, publicKeyOf, sealWithSessionKey } from "../../../scripts/devnet/sdk-crypto/index.ts";
import { FrameClient, makeModelDir, startSim, type Frame } from "./harness.ts";

const HOST_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
const CLIENT_KEY = `0x${"c1".repeat(32)}`;

const model = makeModelDir();
let sim: Awaited<ReturnType<typeof startSim>>;
const clients: FrameClient[] = [];

beforeAll(async () => {
  sim = await startSim({
    MODEL_PATH: model.modelPath,
    SIM_TOKENS_PER_PROMPT: "20",
    SIM_TOKEN_DELAY_MS: "0",
    SIM_CHECKPOINT_INTERVAL: "10",
    HOST_PRIVATE_KEY: HOST_KEY,
  });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await sim?.kill();
  model.cleanup();
});

async function connect(): Promise<FrameClient> {
  const client = await FrameClient.connect(sim.port);
  clients.push(client);
  await client.waitFor((frame) => frame.type === "connected");
  return client;
}

function session(sessionId: string, jobId: bigint, hostPublicKey = publicKeyOf(HOST_KEY)): EncryptedClientSession {
  return new EncryptedClientSession({
    hostPublicKey,
    clientPrivateKey: CLIENT_KEY,
    jobId,
    modelName: `0x${"ab".repeat(32)}`,
    pricePerToken: 5000,
    chainId: 84532,
    sessionId,
  });
}

async function init(client: FrameClient, sealed: EncryptedClientSession): Promise<Frame> {
  const from = client.frames.length;
  client.send(sealed.initFrame());
  return client.waitFor((frame) => frame.type === "session_init_ack" || frame.type === "error", 5000, from);
}

/** Sends one prompt and gathers what answered it, up to its stream_end. */
async function ask(client: FrameClient, sealed: EncryptedClientSession, prompt: string, maxTokens: number) {
  const from = client.frames.length;
  const message = sealed.messageFrame(prompt, maxTokens);
  client.send(message);
  const end = await client.waitFor((frame) => frame.type === "stream_end" || frame.type === "error", 5000, from);
  const answered = client.frames.slice(from);
  return { message, end, chunks: answered.filter((f) => f.type === "encrypted_chunk"), responses: answered.filter((f) => f.type === "encrypted_response") };
}

describe("an encrypted session", () => {
  test("the init gives the node the job id (no plaintext hint) and is acked as the node acks it", async () => {
    const client = await connect();
    const sealed = session("enc-ack", 99n);
    const ack = await init(client, sealed);
    // server.rs:2434-2447; keys in serde_json's alphabetical order.
    expect(ack).toMatchObject({
      type: "session_init_ack",
      status: "success",
      session_id: "enc-ack",
      job_id: 99,
      chain_id: 84532,
      message: "Encrypted session initialized successfully",
    });
    expect(ack.client_address).toMatch(/^0x[0-9a-f]{40}$/);
    expect(Object.keys(ack)).toEqual([...Object.keys(ack)].sort());
    await ask(client, sealed, "hello", 10);
    // The real index names no job (fabstir-llm-node@85a87b8 src/checkpoint/index.rs:13-27): the stand-in's own view does.
    const simView = (await (await fetch(`${sim.baseUrl}/sim/sessions/enc-ack`)).json()) as { jobId: string };
    expect(simView.jobId).toBe("99");
  });

  test("the prompt is decrypted (max_tokens from inside), chunks and the final response open with the session key", async () => {
    const client = await connect();
    const sealed = session("enc-stream", 7n);
    await init(client, sealed);
    const { message, end, chunks, responses } = await ask(client, sealed, "what does a host do?", 12);
    expect(end.tokens_used).toBe(12);
    expect(chunks.reduce((sum, f) => sum + Number(f.tokens), 0)).toBe(12);
    // chunk_<index> AADs in order, the id of the message echoed, `final` on the last (server.rs:3236-3300).
    expect(chunks.map((f) => (f.payload as { index: number }).index)).toEqual(chunks.map((_, i) => i));
    expect(chunks.every((f) => f.id === message.id && f.session_id === "enc-stream")).toBe(true);
    expect(chunks.at(-1)!.final).toBe(true);
    expect(chunks.slice(0, -1).some((f) => "final" in f)).toBe(false);
    const text = chunks.map((f) => sealed.open(f)).join("");
    expect(text.split(" ").filter(Boolean).length).toBeGreaterThanOrEqual(10);
    expect(responses.map((f) => sealed.open(f))).toEqual(["length"]);
    for (const frame of [...chunks, ...responses]) expect(Object.keys(frame)).toEqual([...Object.keys(frame)].sort());
  });

  test("an answer that ends before max_tokens closes with finish reason stop", async () => {
    const client = await connect();
    const sealed = session("enc-stop", 8n);
    await init(client, sealed);
    const { end, responses } = await ask(client, sealed, "tell me everything", 500);
    expect(end.tokens_used).toBe(20); // SIM_TOKENS_PER_PROMPT
    expect(responses.map((f) => sealed.open(f))).toEqual(["stop"]);
  });

  test("the SDK's init before every prompt replaces the session key; the session and its count go on", async () => {
    const client = await connect();
    const sealed = session("enc-reinit", 11n);
    await init(client, sealed);
    const first = await ask(client, sealed, "one", 5);
    const oldChunk = first.chunks[0]!;
    expect((await init(client, sealed)).status).toBe("success");
    const second = await ask(client, sealed, "two", 6);
    expect(second.chunks.map((f) => sealed.open(f)).join("").length).toBeGreaterThan(0);
    expect(() => sealed.open(oldChunk)).toThrow(); // sealed under the first key
    const simView = (await (await fetch(`${sim.baseUrl}/sim/sessions/enc-reinit`)).json()) as { generatedTokens: number };
    expect(simView.generatedTokens).toBe(11);
  });
});

describe("refused as the node refuses", () => {
  test("an init sealed to another host's key: DECRYPTION_FAILED, no session", async () => {
    const client = await connect();
    const error = await init(client, session("enc-wrong-host", 3n, publicKeyOf(`0x${"22".repeat(32)}`)));
    expect(error).toMatchObject({ type: "error", code: "DECRYPTION_FAILED", session_id: "enc-wrong-host" });
    expect(client.framesOfType("session_init_ack")).toHaveLength(0);
  });

  test("malformed inits get the node's codes", async () => {
    const client = await connect();
    const good = session("enc-bad", 4n).initFrame();
    const payload = good.payload as Record<string, unknown>;
    const cases: [Record<string, unknown> | undefined, string][] = [
      [undefined, "MISSING_PAYLOAD"],
      [{ ...payload, signatureHex: undefined }, "INVALID_PAYLOAD"],
      [{ ...payload, nonceHex: "zz" }, "INVALID_HEX_ENCODING"],
      [{ ...payload, nonceHex: "00".repeat(12) }, "INVALID_NONCE_SIZE"],
      [{ ...payload, ciphertextHex: `00${(payload.ciphertextHex as string).slice(2)}` }, "DECRYPTION_FAILED"],
    ];
    for (const [body, code] of cases) {
      const from = client.frames.length;
      client.send({ ...good, payload: body });
      expect((await client.waitFor((f) => f.type === "error", 5000, from)).code).toBe(code);
    }
  });

  test("a message under another key or with its AAD changed: DECRYPTION_FAILED, nothing generated", async () => {
    const client = await connect();
    const sealed = session("enc-tamper", 5n);
    await init(client, sealed);
    const message = sealed.messageFrame("hi", 5);
    const forged = sealWithSessionKey(new Uint8Array(32).fill(9), JSON.stringify({ prompt: "hi" }), "message_0");
    for (const payload of [forged, { ...(message.payload as object), aadHex: Buffer.from("message_9").toString("hex") }]) {
      const from = client.frames.length;
      client.send({ ...message, payload });
      expect((await client.waitFor((f) => f.type === "error", 5000, from)).code).toBe("DECRYPTION_FAILED");
    }
    expect(client.framesOfType("encrypted_chunk")).toHaveLength(0);
  });
});
