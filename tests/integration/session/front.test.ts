/** The session front with the node stand-in as a real child process: pass-through, monitoring, hostile input. */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { FrameClient, makeModelDir, runPrompt, startSim, type SimProcess } from "../node-sim/harness.ts";
import { SessionMonitor, type SessionEvent } from "../../../src/session/monitor.ts";
import { startSessionFront, type SessionFront } from "../../../src/session/front.ts";

let sim: SimProcess & { port: number; baseUrl: string };
let model: ReturnType<typeof makeModelDir>;
let front: SessionFront;
let monitor: SessionMonitor;
let events: SessionEvent[];
const clients: FrameClient[] = [];

beforeAll(async () => {
  model = makeModelDir();
  sim = await startSim({ MODEL_PATH: model.modelPath, SIM_TOKENS_PER_PROMPT: "40", SIM_TOKEN_DELAY_MS: "0", CHAIN_ID: "31337" });
});

afterAll(async () => {
  await sim.kill();
  model.cleanup();
});

function startFront(maxConnections = 64): void {
  events = [];
  monitor = new SessionMonitor({ onEvent: (event) => events.push(event) });
  front = startSessionFront({ hostname: "127.0.0.1", port: 0, upstream: sim.baseUrl, monitor, maxConnections, maxFrameBytes: 64 * 1024 });
}

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await front?.stop();
});

async function connect(port = front.port): Promise<FrameClient> {
  const client = await FrameClient.connect(port);
  clients.push(client);
  await client.waitFor((f) => f.type === "connected");
  return client;
}

describe("the session front", () => {
  test("frames pass through unchanged and the monitor counts every token", async () => {
    startFront();
    const viaFront = await connect();
    viaFront.send({ type: "session_init", session_id: "s-1", job_id: 7, chain_id: 31337 });
    const ack = await viaFront.waitFor((f) => f.type === "session_init_ack");
    // The node writes job_id as a number (fabstir-llm-node@85a87b8 src/api/server.rs:2175-2187).
    expect(ack).toMatchObject({ session_id: "s-1", job_id: 7 });
    const end = await runPrompt(viaFront, "s-1", "hello there");
    // Chunks name no session: one socket, one session (server.rs:3848-3857).
    const chunkTokens = viaFront.framesOfType("stream_chunk").reduce((sum, f) => sum + Number(f.tokens), 0);
    expect(end.tokens_used).toBe(chunkTokens);

    // The same conversation straight to the node gives the same frames.
    const direct = await connect(sim.port);
    direct.send({ type: "session_init", session_id: "s-1b", job_id: 8, chain_id: 31337 });
    await direct.waitFor((f) => f.type === "session_init_ack");
    await runPrompt(direct, "s-1b", "hello there");
    const shape = (c: FrameClient) => c.frames.map((f) => `${f.type}:${f.tokens ?? ""}`);
    expect(shape(viaFront)).toEqual(shape(direct));

    expect(monitor.session("s-1")).toMatchObject({ jobId: "7", confirmedTokens: Number(end.tokens_used), requests: 1 });
    await viaFront.close();
    await Bun.sleep(50);
    const closed = events.find((e) => e.type === "session_closed");
    expect(closed).toMatchObject({ sessionId: "s-1", total: Number(end.tokens_used), reason: "client_closed" });
  });

  test("HTTP requests pass through to the node", async () => {
    startFront();
    const health = await fetch(`http://127.0.0.1:${front.port}/health`);
    expect(health.status).toBe(200);
    // A running node is "degraded" for the P2P node it never has (server.rs:1505-1534); a keyless one has no checkpoint service (503).
    expect(await health.json()).toMatchObject({ status: "degraded" });
    const missing = await fetch(`http://127.0.0.1:${front.port}/v1/checkpoints/nope`);
    expect(missing.status).toBe(503);
  });

  test("malformed and hostile frames do not crash the front or disturb other sessions", async () => {
    startFront();
    const good = await connect();
    good.send({ type: "session_init", session_id: "good", job_id: 1, chain_id: 31337 });
    await good.waitFor((f) => f.type === "session_init_ack");

    const hostile = await connect();
    hostile.send("{not json");
    hostile.send(JSON.stringify({ type: "stream_chunk", tokens: 1e12 }));
    hostile.send(JSON.stringify({ type: "session_init", session_id: { evil: true } }));
    hostile.send(JSON.stringify({ type: "unknown_type", session_id: "x" }));
    // The node answers none of these but the init, which it acks for session "unknown" (server.rs:2115-2196).
    await hostile.waitFor((f) => f.type === "session_init_ack");
    hostile.send("x".repeat(128 * 1024)); // over the frame cap: this socket alone is closed
    expect(await hostile.closed()).toBe(1009);

    const end = await runPrompt(good, "good", "still fine?");
    expect(Number(end.tokens_used)).toBeGreaterThan(0);
    expect(monitor.session("good")?.confirmedTokens).toBe(Number(end.tokens_used));
  });

  test("the connection limit answers 429 (the address's share is taken) instead of overloading the node", async () => {
    startFront(1);
    await connect();
    const refused = await fetch(`http://127.0.0.1:${front.port}/v1/ws`, {
      headers: { upgrade: "websocket", connection: "Upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" },
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(front.stats().rejectedConnections).toBe(1);
  });

  test("stopping the front closes clients properly and ends their sessions", async () => {
    startFront();
    const client = await connect();
    client.send({ type: "session_init", session_id: "drain", job_id: 3, chain_id: 31337 });
    await client.waitFor((f) => f.type === "session_init_ack");
    await front.stop({ drainMs: 100 });
    expect(await client.closed()).toBe(1001);
    expect(events.find((e) => e.type === "session_closed")).toMatchObject({ sessionId: "drain", reason: "front_stopped" });
  });
});

describe("when the node dies mid-session", () => {
  test("the client gets 1012 and the monitor keeps the tokens generated so far", async () => {
    const crashing = await startSim({
      MODEL_PATH: model.modelPath,
      SIM_TOKENS_PER_PROMPT: "500",
      SIM_TOKEN_DELAY_MS: "1",
      SIM_CRASH_AFTER_TOKENS: "120",
      CHAIN_ID: "31337",
    });
    const seen: SessionEvent[] = [];
    const localMonitor = new SessionMonitor({ onEvent: (event) => seen.push(event) });
    const localFront = startSessionFront({ hostname: "127.0.0.1", port: 0, upstream: crashing.baseUrl, monitor: localMonitor });
    try {
      const client = await FrameClient.connect(localFront.port);
      client.send({ type: "session_init", session_id: "crash", job_id: 11, chain_id: 31337 });
      await client.waitFor((f) => f.type === "session_init_ack");
      client.send({ type: "prompt", session_id: "crash", prompt: "long answer please" });
      expect(await client.closed()).toBe(1012);
      const streamed = client.framesOfType("stream_chunk").reduce((sum, f) => sum + Number(f.tokens), 0);
      const closed = seen.find((e) => e.type === "session_closed");
      expect(closed).toMatchObject({ sessionId: "crash", reason: "node_closed", total: streamed });
      expect(streamed).toBeGreaterThan(0);
    } finally {
      await localFront.stop();
      await crashing.kill();
    }
  });
});
