/**
 * Counts never above what the client received. A client that stops reading fills its socket: Bun queues what the
 * front sends (`ws.send` returns -1) and drops what it cannot (0). Those tokens count once the socket drains, never
 * if it dies first, and the node's own `tokens_used` (every token it generated, fabstir-llm-node@85a87b8
 * src/api/server.rs:3211, 3361) never raises the count.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { ServerWebSocket } from "bun";
import { SessionMonitor, type SessionEvent } from "../../../src/session/monitor.ts";
import { startSessionFront, type SessionFront } from "../../../src/session/front.ts";
import { RawWebSocket } from "./raw-client.ts";

const CHUNKS = 400;
const CONTENT = "y".repeat(32 * 1024);
/** What the node says it generated: more than it streamed (a request cut short, tokens it never sent). */
const NODE_COUNT = CHUNKS + 100;

/**
 * A node double speaking the real frames: `connected` on open, `session_init_ack` (keys in serde's order), then for a
 * prompt every chunk at once and a `stream_end` with the node's own count.
 */
function startNodeDouble() {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (request, srv) => (srv.upgrade(request) ? undefined : new Response("no", { status: 400 })),
    websocket: {
      open: (ws: ServerWebSocket<undefined>) => void ws.send('{"type":"connected"}'),
      message(ws, message) {
        const frame = JSON.parse(String(message)) as { type: string; session_id: string };
        if (frame.type === "session_init") ws.send(`{"job_id":"3","session_id":"${frame.session_id}","type":"session_init_ack"}`);
        if (frame.type !== "prompt") return;
        for (let i = 0; i < CHUNKS; i++) ws.send(`{"content":"${CONTENT}","session_id":"${frame.session_id}","tokens":1,"type":"stream_chunk"}`);
        ws.send(`{"reason":"complete","session_id":"${frame.session_id}","tokens_used":${NODE_COUNT},"type":"stream_end"}`);
      },
    },
  });
}

let node: ReturnType<typeof startNodeDouble> | undefined;
let front: SessionFront | undefined;

afterEach(async () => {
  await front?.stop();
  node?.stop(true);
});

async function slowReader(): Promise<{ ws: RawWebSocket; monitor: SessionMonitor; events: SessionEvent[] }> {
  node = startNodeDouble();
  const events: SessionEvent[] = [];
  const monitor = new SessionMonitor({ onEvent: (event) => events.push(event) });
  front = startSessionFront({ hostname: "127.0.0.1", port: 0, upstream: `http://127.0.0.1:${node.port}`, monitor });
  const { ws } = await RawWebSocket.open(front.port);
  await ws!.waitFor(() => ws!.texts().some((f) => f.type === "connected"));
  ws!.sendJson({ type: "session_init", session_id: "slow", job_id: 3 });
  await ws!.waitFor(() => ws!.texts().some((f) => f.type === "session_init_ack"));
  // The client stops reading, then asks for a long answer.
  ws!.pause();
  ws!.sendJson({ type: "prompt", session_id: "slow", prompt: "long answer please" });
  await ws!.waitFor(() => front!.stats().framesToClient >= CHUNKS + 3, 20_000, "every frame handed to the client socket");
  return { ws: ws!, monitor, events };
}

const receivedTokens = (ws: RawWebSocket) =>
  ws
    .texts()
    .filter((f) => f.type === "stream_chunk")
    .reduce((sum, f) => sum + Number(f.tokens), 0);

describe("counts follow what reached the client", () => {
  test("a client that never reads again: what Bun only queued or dropped is never counted", async () => {
    const { ws, monitor, events } = await slowReader();
    const state = monitor.session("slow")!;
    // Backpressure happened: part of the answer never left the front.
    expect(state.queuedTokens + state.droppedTokens).toBeGreaterThan(0);
    expect(state.confirmedTokens + state.inflightTokens).toBeLessThan(CHUNKS);
    ws.destroy();
    await ws.waitFor(() => events.some((e) => e.type === "session_closed"), 5000, "the session to close");
    const closed = events.find((e) => e.type === "session_closed") as Extract<SessionEvent, { type: "session_closed" }>;
    expect(closed.total).toBe(state.confirmedTokens + state.inflightTokens);
    expect(closed.total).toBeLessThan(CHUNKS);
    // No event ever carried more than was handed to the kernel for this client.
    expect(Math.max(...events.filter((e) => e.type === "tokens").map((e) => (e as { total: number }).total))).toBeLessThanOrEqual(closed.total);
  }, 30_000);

  test("a client that reads again: queued tokens count once the socket drains, and the node's higher count is ignored", async () => {
    const { ws, monitor, events } = await slowReader();
    expect(monitor.session("slow")!.queuedTokens).toBeGreaterThan(0);
    ws.resume();
    await ws.waitFor(() => ws.texts().some((f) => f.type === "stream_end"), 20_000, "the end of the answer");
    await ws.waitFor(() => monitor.session("slow")!.queuedTokens === 0, 5000, "the drain");
    const received = receivedTokens(ws);
    expect(received).toBe(CHUNKS - monitor.session("slow")!.droppedTokens);
    const completed = events.find((e) => e.type === "request_completed") as Extract<SessionEvent, { type: "request_completed" }>;
    expect(completed.tokensUsed).toBeLessThanOrEqual(received);
    ws.destroy();
    await ws.waitFor(() => events.some((e) => e.type === "session_closed"), 5000, "the session to close");
    expect(events.find((e) => e.type === "session_closed")).toMatchObject({ total: received });
  }, 30_000);
});
