import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { makeTestContext, runCli } from "../../helpers/context.ts";
import { createHostMetrics } from "../../../src/ops/metrics/host-metrics.ts";
import { HealthState } from "../../../src/ops/http/health-state.ts";
import { startOpsServer, type OpsServer } from "../../../src/ops/http/ops-server.ts";
import { startWebhookCapture, type WebhookCapture } from "../../unit/ops/alerts/webhook-capture.ts";

let server: OpsServer;
let hook: WebhookCapture;
beforeAll(() => {
  const metrics = createHostMetrics({ build: { version: "9.9.9", commit: "daemon" } });
  metrics.sessionsTotal.inc(12);
  server = startOpsServer({ listen: "127.0.0.1:0", metrics, health: new HealthState() });
  hook = startWebhookCapture();
});
afterAll(async () => {
  await server.stop();
  await hook.stop();
});

function withConfig(config: Record<string, unknown>) {
  const context = makeTestContext();
  mkdirSync(context.paths.home, { recursive: true });
  writeFileSync(context.paths.configFile, JSON.stringify({ version: 1, network: "base-sepolia", ...config }));
  return context;
}

describe("fabstir-host metrics", () => {
  test("prints the running host's /metrics", async () => {
    const result = await runCli(["metrics"], withConfig({ metrics: { enabled: true, listen: `127.0.0.1:${server.port}` } }));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("fabstir_host_sessions_total 12");
    expect(result.stdout).toContain('fabstir_host_build_info{version="9.9.9",commit="daemon"} 1');
    expect(result.stderr).toBe("");
  });

  test("--json gives metric families with their samples", async () => {
    const result = await runCli(["metrics", "--json"], withConfig({ metrics: { enabled: true, listen: `127.0.0.1:${server.port}` } }));
    const data = result.json().data;
    expect(data.source).toBe("host");
    expect(data.metrics.find((m: { name: string }) => m.name === "fabstir_host_sessions_total")).toMatchObject({
      type: "counter",
      samples: [{ value: 12, labels: {} }],
    });
  });

  test("with no host running, prints this process's registry and says so", async () => {
    const result = await runCli(["metrics"], withConfig({ metrics: { enabled: true, listen: "127.0.0.1:1" } }));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Showing this process's metrics only: nothing answered on http://127.0.0.1:1/metrics");
    expect(result.stdout).toContain('fabstir_host_build_info{version="0.0.0-test",commit="test"} 1');
  });
});

describe("fabstir-host alerts test", () => {
  test("sends one alert in the configured format and reports the answer", async () => {
    hook.respond(200, "ok");
    const result = await runCli(
      ["alerts", "test"],
      withConfig({ alerts: { webhookUrl: `${hook.url}/services/T0/B0/tok`, format: "slack", telegramChatId: null, minEthProofs: 20 } }),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Sent to\s+http:\/\/127\.0\.0\.1:\d+ \(slack\)/);
    expect(result.stdout).toMatch(/Answer\s+200/);
    expect(result.stdout).not.toContain("tok");
    const request = hook.requests.at(-1)!;
    expect(request.path).toBe("/services/T0/B0/tok");
    expect(request.body.text).toContain("Test alert from fabstir-host");
  });

  test("telegram body and --json", async () => {
    hook.respond(200, '{"ok":true}');
    const result = await runCli(
      ["alerts", "test", "--json"],
      withConfig({ alerts: { webhookUrl: `${hook.url}/bot123:abc/sendMessage`, format: "telegram", telegramChatId: "-100200", minEthProofs: 20 } }),
    );
    expect(result.json().data).toMatchObject({ delivered: true, status: 200, format: "telegram" });
    expect(hook.requests.at(-1)!.body).toMatchObject({ chat_id: "-100200" });
  });

  test("a refusing webhook exits 1 with the HTTP answer", async () => {
    hook.respond(403, "invalid_token");
    const result = await runCli(
      ["alerts", "test"],
      withConfig({ alerts: { webhookUrl: `${hook.url}/hook`, format: "discord", telegramChatId: null, minEthProofs: 20 } }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error FH0622");
    expect(result.stderr).toContain("answered 403");
  });

  test("no webhook: usage error with how to set one", async () => {
    const result = await runCli(["alerts", "test"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error FH0620");
    const telegram = await runCli(
      ["alerts", "test"],
      withConfig({ alerts: { webhookUrl: `${hook.url}/x`, format: "telegram", telegramChatId: null, minEthProofs: 1 } }),
    );
    expect(telegram.stderr).toContain("error FH0621");
  });
});
