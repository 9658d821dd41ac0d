/**
 * Fair admission on the public port, with two loopback addresses as two clients (the front sees 127.0.0.2 as another
 * address, through Bun's requestIP). Before: 32 idle WebSockets from one address locked everyone out for 16 minutes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { makeModelDir, startSim, type SimProcess } from "../node-sim/harness.ts";
import { SessionMonitor } from "../../../src/session/monitor.ts";
import { startSessionFront, type FrontOptions, type SessionFront } from "../../../src/session/front.ts";
import { addressKey, defaultPerAddress } from "../../../src/session/admission.ts";
import { RawWebSocket } from "./raw-client.ts";

let sim: SimProcess & { port: number; baseUrl: string };
let model: ReturnType<typeof makeModelDir>;
let front: SessionFront | undefined;
const sockets: RawWebSocket[] = [];

beforeAll(async () => {
  model = makeModelDir();
  sim = await startSim({ MODEL_PATH: model.modelPath, SIM_TOKENS_PER_PROMPT: "5", SIM_TOKEN_DELAY_MS: "0", CHAIN_ID: "31337" });
});

afterAll(async () => {
  await sim?.kill();
  model?.cleanup();
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.destroy();
  await front?.stop();
  front = undefined;
});

function startFront(options: Partial<FrontOptions>): SessionFront {
  front = startSessionFront({ hostname: "127.0.0.1", port: 0, upstream: sim.baseUrl, monitor: new SessionMonitor({ onEvent: () => {} }), ...options });
  return front;
}

async function open(port: number, localAddress: string): Promise<{ status: number; ws?: RawWebSocket }> {
  const result = await RawWebSocket.open(port, { localAddress });
  if (result.ws) {
    sockets.push(result.ws);
    await result.ws.waitFor(() => result.ws!.texts().some((f) => f.type === "connected"));
  }
  return result;
}

describe("fair admission", () => {
  test("one address holding its share of idle sockets cannot keep a second address out", async () => {
    const port = startFront({ maxConnections: 32 }).port;
    const share = defaultPerAddress(32);
    expect(share).toBeLessThan(32);
    // The attack as reported: 32 sockets from one address. Only its share opens; the rest are told to back off.
    const attempts = await Promise.all(Array.from({ length: 32 }, () => open(port, "127.0.0.1")));
    expect(attempts.filter((a) => a.status === 101).length).toBe(share);
    expect(attempts.filter((a) => a.status === 429).length).toBe(32 - share);
    // Another client still gets in and is served.
    const other = await open(port, "127.0.0.2");
    expect(other.status).toBe(101);
    other.ws!.sendJson({ type: "session_init", session_id: "other", job_id: 5, chain_id: 31337 });
    await other.ws!.waitFor(() => other.ws!.texts().some((f) => f.type === "session_init_ack"));
  });

  test("at the global cap a newcomer goes ahead of a socket that never sent a session_init", async () => {
    const port = startFront({ maxConnections: 4, maxPerAddress: 4 }).port;
    const idle = await Promise.all(Array.from({ length: 4 }, () => open(port, "127.0.0.1")));
    expect(idle.every((a) => a.status === 101)).toBe(true);
    const newcomer = await open(port, "127.0.0.2");
    expect(newcomer.status).toBe(101);
    // The oldest idle socket gave its place (1013: try again later).
    expect(await idle[0]!.ws!.closed()).toBe(1013);
    expect(front!.stats()).toMatchObject({ evictedConnections: 1, connections: 4 });
  });

  test("when every socket is busy in a session, a newcomer is turned away with 503, never a busy session", async () => {
    const port = startFront({ maxConnections: 2, maxPerAddress: 2, quietMs: 60_000 }).port;
    const busy = await Promise.all([open(port, "127.0.0.1"), open(port, "127.0.0.1")]);
    busy.forEach((b, i) => b.ws!.sendJson({ type: "session_init", session_id: `busy-${i}`, job_id: 9 + i, chain_id: 31337 }));
    for (const b of busy) await b.ws!.waitFor(() => b.ws!.texts().some((f) => f.type === "session_init_ack"));
    const newcomer = await open(port, "127.0.0.2");
    expect(newcomer.status).toBe(503);
    expect(busy.every((b) => !b.ws!.isClosed)).toBe(true);
  });

  test("a socket that sends no session_init within the deadline is closed", async () => {
    const port = startFront({ initTimeoutMs: 200 }).port;
    const silent = await open(port, "127.0.0.1");
    const speaking = await open(port, "127.0.0.1");
    speaking.ws!.sendJson({ type: "session_init", session_id: "talks", job_id: 3, chain_id: 31337 });
    expect(await silent.ws!.closed()).toBe(1008);
    expect(speaking.ws!.isClosed).toBe(false);
    expect(front!.stats().initTimeouts).toBe(1);
  });
});

describe("address keys", () => {
  test("IPv4, mapped IPv4 and IPv6 /64 prefixes", () => {
    expect(addressKey("127.0.0.2")).toBe("127.0.0.2");
    expect(addressKey("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey(undefined)).toBe("unknown");
  });
});
