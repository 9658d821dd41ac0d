import { afterEach, describe, expect, test } from "bun:test";
import { createHostMetrics } from "../../../../src/ops/metrics/host-metrics.ts";
import { HealthState } from "../../../../src/ops/http/health-state.ts";
import { startOpsServer, type OpsServer } from "../../../../src/ops/http/ops-server.ts";
import { parseListen, localUrl } from "../../../../src/ops/http/listen-address.ts";
import { OpsErrors } from "../../../../src/errors/codes/index.ts";
import { rawRequest } from "../../../integration/session/raw-client.ts";

const servers: OpsServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

describe("operations endpoint", () => {
  test("/healthz, /readyz (503 with what is missing, then 200) and /metrics", async () => {
    let now = Date.parse("2026-07-01T00:00:00Z");
    const health = new HealthState({ now: () => now });
    const metrics = createHostMetrics({ build: { version: "1", commit: "c" } });
    metrics.sessionsTotal.inc(3);
    const server = startOpsServer({ listen: "127.0.0.1:0", metrics, health });
    servers.push(server);
    expect(server.port).toBeGreaterThan(0);

    const live = await fetch(`${server.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: "ok", alive: true });

    health.set("node", true);
    health.set("chain", false, "all RPC endpoints failing");
    let ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { notReady: unknown };
    expect(body.notReady).toEqual([
      { check: "chain", detail: "all RPC endpoints failing" },
      { check: "registered", detail: "not checked yet" },
    ]);

    health.set("chain", true);
    health.set("registered", true);
    ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe("ready");

    const scraped = await fetch(`${server.url}/metrics`);
    expect(scraped.headers.get("content-type")).toContain("text/plain");
    expect(await scraped.text()).toContain("fabstir_host_sessions_total 3");

    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: "POST" })).status).toBe(405);

    // A main loop that stops beating fails liveness.
    health.beat();
    now += 10 * 60_000;
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
  });

  test("odd request forms get a short answer: no source, no stack, no path", async () => {
    const health = new HealthState({ now: () => Date.now() });
    const server = startOpsServer({ listen: "127.0.0.1:0", metrics: createHostMetrics({ build: { version: "1", commit: "c" } }), health });
    servers.push(server);
    for (const line of [
      "CONNECT example.com:443 HTTP/1.1",
      "GET example.com:80 HTTP/1.1",
      "GET http://evil.example/metrics HTTP/1.1",
      "POST /metrics HTTP/1.1",
      "GET /\u0001 HTTP/1.1",
    ]) {
      const answer = await rawRequest(server.port, `${line}\r\nHost: a b\r\nContent-Length: 0\r\n\r\n`);
      expect({ line, short: answer.bytes < 2048, leak: /node_modules|\/src\/|at .*\.ts:\d+/.test(answer.body) }).toEqual({ line, short: true, leak: false });
    }
  });

  test("a port already in use is a clear error", async () => {
    const health = new HealthState();
    const metrics = createHostMetrics({ build: { version: "1", commit: "c" } });
    const first = startOpsServer({ listen: "127.0.0.1:0", metrics, health });
    servers.push(first);
    expect(() => startOpsServer({ listen: `127.0.0.1:${first.port}`, metrics, health })).toThrow(
      expect.objectContaining({ code: OpsErrors.METRICS_LISTEN_FAILED.code }),
    );
  });

  test("listen addresses", () => {
    expect(parseListen("127.0.0.1:9464")).toEqual({ hostname: "127.0.0.1", port: 9464 });
    expect(parseListen("[::1]:9464")).toEqual({ hostname: "::1", port: 9464 });
    expect(parseListen(":9464")).toEqual({ hostname: "127.0.0.1", port: 9464 });
    expect(parseListen("localhost:1")).toEqual({ hostname: "localhost", port: 1 });
    expect(localUrl({ hostname: "0.0.0.0", port: 9 }, "/metrics")).toBe("http://127.0.0.1:9/metrics");
    expect(localUrl({ hostname: "::", port: 9 })).toBe("http://[::1]:9");
    for (const bad of ["9464", "host:99999", "a:b", ""])
      expect(() => parseListen(bad)).toThrow(expect.objectContaining({ code: OpsErrors.METRICS_BAD_LISTEN.code }));
  });
});
