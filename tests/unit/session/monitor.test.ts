import { describe, expect, test } from "bun:test";
import { SessionMonitor, type SessionEvent } from "../../../src/session/monitor.ts";

function opened(): { monitor: SessionMonitor; events: SessionEvent[] } {
  const events: SessionEvent[] = [];
  const monitor = new SessionMonitor({ now: () => 0, onEvent: (e) => events.push(e) });
  monitor.openConnection(1);
  monitor.clientFrame(1, '{"type":"session_init","session_id":"s","job_id":3}');
  monitor.nodeFrame(1, '{"job_id":3,"session_id":"s","type":"session_init_ack"}');
  return { monitor, events };
}

const chunk = (tokens: number) => `{"content":"x","session_id":"s","tokens":${tokens},"type":"stream_chunk"}`;

describe("the monitor counts what the client received", () => {
  test("sent frames count at once, queued ones when the socket drains, dropped ones never", () => {
    const { monitor, events } = opened();
    monitor.nodeFrame(1, chunk(5), "sent");
    monitor.nodeFrame(1, chunk(7), "queued");
    monitor.nodeFrame(1, chunk(11), "dropped");
    expect(events.filter((e) => e.type === "tokens").map((e) => (e as { total: number }).total)).toEqual([5]);
    monitor.drained(1);
    expect(events.at(-1)).toMatchObject({ type: "tokens", total: 12 });
    monitor.closeConnection(1, "client_closed");
    expect(events.at(-1)).toMatchObject({ type: "session_closed", total: 12 });
    expect(monitor.session("s")).toMatchObject({ droppedTokens: 11, queuedTokens: 0 });
  });

  test("tokens still queued when the socket closes never reached the client", () => {
    const { monitor, events } = opened();
    monitor.nodeFrame(1, chunk(5), "sent");
    monitor.nodeFrame(1, chunk(50), "queued");
    monitor.closeConnection(1, "client_closed");
    expect(events.at(-1)).toMatchObject({ type: "session_closed", total: 5 });
  });

  test("the node's tokens_used lowers a request's count, never raises it above what was delivered", () => {
    const { monitor, events } = opened();
    monitor.nodeFrame(1, chunk(10));
    // The real node reports every token it generated (fabstir-llm-node@85a87b8 src/api/server.rs:3211, 3361).
    monitor.nodeFrame(1, '{"reason":"cancelled","session_id":"s","tokens_used":400,"type":"stream_end"}');
    expect(events.at(-1)).toMatchObject({ type: "request_completed", tokensUsed: 10, total: 10 });
    monitor.nodeFrame(1, chunk(10));
    monitor.nodeFrame(1, '{"reason":"complete","session_id":"s","tokens_used":8,"type":"stream_end"}');
    expect(events.at(-1)).toMatchObject({ type: "request_completed", tokensUsed: 8, total: 18 });
  });
});
