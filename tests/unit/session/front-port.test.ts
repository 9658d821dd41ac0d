/**
 * The public port is this host's alone: a second front (a second host, or anything else) on a port already served
 * fails to start rather than sharing it (Bun would share a port between servers started in production mode).
 */
import { describe, expect, test } from "bun:test";
import { startSessionFront } from "../../../src/session/front.ts";
import { SessionMonitor } from "../../../src/session/monitor.ts";

describe("the public port", () => {
  test("a second front on a port already served fails to start", async () => {
    const options = { hostname: "127.0.0.1", upstream: "http://127.0.0.1:9", monitor: new SessionMonitor({ onEvent: () => {} }) };
    const first = startSessionFront({ ...options, port: 0 });
    try {
      expect(() => startSessionFront({ ...options, port: first.port })).toThrow(/in use/);
    } finally {
      await first.stop();
    }
  });
});
