/**
 * The job check runs in the background: while a job is being read, the port serves everyone else, the checked
 * socket's frames wait in order (a bounded few), and they reach the node once the job passes. The reader here is
 * held by the test, so each moment is chosen, not raced.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { FrameClient, makeModelDir, startSim, type SimProcess } from "../node-sim/harness.ts";
import { SessionMonitor } from "../../../src/session/monitor.ts";
import { startSessionFront, type SessionFront } from "../../../src/session/front.ts";
import { JobGate, type SessionJobView } from "../../../src/session/job-gate.ts";

const HOST = "0x00000000000000000000000000000000000000a1";
const JOB: SessionJobView = {
  host: HOST,
  status: 0,
  paymentToken: "0x0000000000000000000000000000000000000000",
  deposit: 10n ** 16n,
  pricePerToken: 2_000_000n,
  proofInterval: 100n,
};

let sim: SimProcess & { port: number; baseUrl: string };
let model: ReturnType<typeof makeModelDir>;
let front: SessionFront | undefined;
const clients: FrameClient[] = [];

beforeAll(async () => {
  model = makeModelDir();
  sim = await startSim({ MODEL_PATH: model.modelPath, SIM_TOKENS_PER_PROMPT: "10", SIM_TOKEN_DELAY_MS: "0", CHAIN_ID: "31337" });
});

afterAll(async () => {
  await sim?.kill();
  model?.cleanup();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await front?.stop();
});

/** A front whose job reads wait until the test releases them. */
function gatedFront() {
  const waiting = new Map<string, (job: SessionJobView | undefined) => void>();
  const gate = new JobGate({ hostAddress: HOST, now: Date.now, read: (id) => new Promise((resolve) => waiting.set(id.toString(), resolve)) });
  front = startSessionFront({ hostname: "127.0.0.1", port: 0, upstream: sim.baseUrl, monitor: new SessionMonitor({ onEvent: () => {} }), jobGate: gate });
  return { port: front.port, waiting };
}

/** Waits for the front to ask for the job (the read starts when the init arrives). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await Bun.sleep(5);
  expect(check()).toBe(true);
}

async function connect(port: number): Promise<FrameClient> {
  const client = await FrameClient.connect(port);
  clients.push(client);
  await client.waitFor((f) => f.type === "connected");
  return client;
}

describe("the job check in the background", () => {
  test("while a job is read, the port serves others; the held init and prompt reach the node in order once it passes", async () => {
    const { port, waiting } = gatedFront();
    const checked = await connect(port);
    checked.send({ type: "session_init", session_id: "held", job_id: 41, chain_id: 31337 });
    checked.send({ type: "prompt", session_id: "held", prompt: "right behind the init" });
    await until(() => waiting.has("41"));
    // Meanwhile: HTTP answers, and a socket whose job is already known is served at once.
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(checked.framesOfType("session_init_ack")).toEqual([]);
    waiting.get("41")!(JOB);
    await checked.waitFor((f) => f.type === "stream_end"); // the node names no session on a plaintext stream_end
    expect(checked.frames.map((f) => f.type).filter((t) => t !== "stream_chunk")).toEqual(["connected", "session_init_ack", "stream_end"]);
    const known = await connect(port);
    known.send({ type: "session_init", session_id: "known", job_id: "41", chain_id: 31337 });
    await known.waitFor((f) => f.type === "session_init_ack");
  });

  test("a client that keeps sending while its job is read is closed, and its frames never reach the node", async () => {
    const { port, waiting } = gatedFront();
    const pushy = await connect(port);
    pushy.send({ type: "session_init", session_id: "pushy", job_id: 42, chain_id: 31337 });
    for (let i = 0; i < 20; i++) pushy.send({ type: "prompt", session_id: "pushy", prompt: `again ${i}` });
    expect(await pushy.closed()).toBe(1008);
    waiting.get("42")?.(JOB);
    expect(pushy.framesOfType("session_init_ack")).toEqual([]);
    expect(pushy.framesOfType("stream_chunk")).toEqual([]);
  });
});
