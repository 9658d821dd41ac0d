import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { AlertSender } from "../../../../src/ops/alerts/alert-sender.ts";
import { AlertRules } from "../../../../src/ops/alerts/alert-rules.ts";
import { formatAlert } from "../../../../src/ops/alerts/alert-formats.ts";
import type { Alert, AlertFormat } from "../../../../src/ops/alerts/alert-types.ts";
import { createHostMetrics } from "../../../../src/ops/metrics/host-metrics.ts";
import { createNullLogger } from "../../../../src/ops/logging/logger.ts";
import { forgetSecrets, redact } from "../../../../src/util/redact.ts";
import { startWebhookCapture, type WebhookCapture } from "./webhook-capture.ts";

let hook: WebhookCapture;
beforeAll(() => {
  hook = startWebhookCapture();
});
afterAll(async () => {
  forgetSecrets();
  await hook.stop();
});
beforeEach(() => {
  hook.requests.length = 0;
  hook.respond(200);
});

const origin = { host: "0xHost", publicUrl: "https://host.example:8080", network: "base-sepolia", version: "1.2.3" };
const alert = (over: Partial<Alert> = {}): Alert => ({
  kind: "node_down",
  severity: "critical",
  subject: "node",
  title: "Inference node is down",
  message: "exit code 1",
  at: Date.parse("2026-07-01T12:00:00Z"),
  ...over,
});

function sender(format: AlertFormat, clock: { now: number }, extra: Partial<ConstructorParameters<typeof AlertSender>[0]> = {}) {
  return new AlertSender({
    config: { webhookUrl: `${hook.url}/hook/secret-token`, format, telegramChatId: "4242", minEthProofs: 10 },
    origin,
    fetch: (i, init) => fetch(i, init),
    now: () => clock.now,
    logger: createNullLogger(),
    ...extra,
  });
}

describe("alert formats", () => {
  const tally = { count: 3, firstAt: Date.parse("2026-07-01T11:00:00Z"), heldBack: 1 };
  test("generic JSON", () => {
    expect(formatAlert("json", alert({ details: { exitCode: 1 } }), origin, tally)).toMatchObject({
      source: "fabstir-host",
      kind: "node_down",
      severity: "critical",
      subject: "node",
      count: 3,
      heldBack: 1,
      host: "0xHost",
      details: { exitCode: 1 },
      timestamp: "2026-07-01T12:00:00.000Z",
    });
  });
  test("Slack: text plus blocks", () => {
    const body = formatAlert("slack", alert(), origin, tally) as any;
    expect(body.text).toContain("[CRITICAL] Inference node is down: exit code 1");
    expect(body.blocks[0]).toMatchObject({ type: "header" });
    expect(body.blocks[1].text.text).toContain("Happened 3 times since 2026-07-01 11:00 UTC");
    expect(JSON.stringify(body.blocks)).toContain("0xHost");
  });
  test("Discord: content plus an embed", () => {
    const body = formatAlert("discord", alert({ message: "x".repeat(5000) }), origin, tally) as any;
    expect(body.content).toContain("Inference node is down");
    expect(body.embeds[0].description.length).toBeLessThanOrEqual(4096);
    expect(body.embeds[0].color).toBe(0xd32f2f);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });
  test("Telegram: sendMessage with chat_id and text", () => {
    const body = formatAlert("telegram", alert(), origin, { count: 1, firstAt: 0, heldBack: 0 }, { telegramChatId: "4242" }) as any;
    expect(body.chat_id).toBe("4242");
    expect(body.text).toContain("Inference node is down");
    expect(body.text).toContain("Network: base-sepolia");
  });
});

describe("alert sender", () => {
  test("posts to the webhook; same kind and subject within the window sends once, the next one carries the count", async () => {
    const clock = { now: Date.parse("2026-07-01T12:00:00Z") };
    const metrics = createHostMetrics({ build: { version: "1", commit: "c" } });
    const s = sender("json", clock, { metrics, dedupeWindowMs: 60_000 });
    expect((await s.send(alert())).status).toBe("sent");
    expect((await s.send(alert())).status).toBe("suppressed");
    expect((await s.send(alert())).status).toBe("suppressed");
    expect((await s.send(alert({ subject: "other" }))).status).toBe("sent");
    clock.now += 61_000;
    expect((await s.send(alert({ at: clock.now }))).status).toBe("sent");
    expect(hook.requests.map((r) => [r.path, r.body.subject, r.body.count])).toEqual([
      ["/hook/secret-token", "node", 1],
      ["/hook/secret-token", "other", 1],
      ["/hook/secret-token", "node", 3],
    ]);
    expect(hook.requests[0]!.headers["content-type"]).toBe("application/json");
    const text = await metrics.text();
    expect(text).toContain('fabstir_host_alerts_sent_total{kind="node_down"} 3');
    expect(text).toContain('fabstir_host_alerts_suppressed_total{kind="node_down"} 2');
  });

  test("rate limit holds alerts back and says so in the next one", async () => {
    const clock = { now: 0 };
    const s = sender("json", clock, { maxPerHour: 2 });
    for (const subject of ["a", "b", "c", "d"]) await s.send(alert({ subject }));
    expect(hook.requests).toHaveLength(2);
    clock.now += 3_600_000;
    await s.send(alert({ subject: "e" }));
    expect(hook.requests[2]!.body).toMatchObject({ subject: "e", heldBack: 2 });
  });

  test("the rate limit is per kind: a flood of one kind never silences another", async () => {
    const clock = { now: 0 };
    const s = sender("json", clock, { maxPerHour: 2 });
    // Three hundred invented jobs' proofs failing, each its own subject.
    for (let job = 0; job < 300; job++) await s.send(alert({ kind: "proof_failed_permanently", subject: `job ${job}` }));
    expect(hook.requests).toHaveLength(2);
    expect((await s.send(alert({ kind: "node_down", subject: "node" }))).status).toBe("sent");
    expect((await s.send(alert({ kind: "sessions_refused", subject: "address 203.0.113.9" }))).status).toBe("sent");
    expect(hook.requests.map((r) => r.body.kind)).toEqual(["proof_failed_permanently", "proof_failed_permanently", "node_down", "sessions_refused"]);
    // The held-back count belongs to the kind that was held back.
    expect(hook.requests[2]!.body).toMatchObject({ heldBack: 0 });
    clock.now += 3_600_000;
    await s.send(alert({ kind: "proof_failed_permanently", subject: "job 301" }));
    expect(hook.requests.at(-1)!.body).toMatchObject({ kind: "proof_failed_permanently", heldBack: 298 });
  });

  test("refused sessions raise one alert per address, the count in its words", async () => {
    const clock = { now: 0 };
    const sent: Alert[] = [];
    const rules = new AlertRules({ send: async (a) => (sent.push(a), { status: "disabled" }), now: () => clock.now, minEthProofs: 0 });
    rules.sessionsRefused("203.0.113.9", 300, "300 sessions refused for unknown jobs from address 203.0.113.9 (300 for jobs that do not exist)");
    await rules.settle();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: "sessions_refused", severity: "warning", subject: "address 203.0.113.9", details: { refused: 300 } });
    expect(sent[0]!.message).toContain("300 sessions refused for unknown jobs from address 203.0.113.9");
  });

  test("a webhook that fails or is unreachable is logged, counted, never thrown; the URL never leaks", async () => {
    const clock = { now: 0 };
    const lines: string[] = [];
    const logger = { ...createNullLogger(), warn: (m: string, meta?: Record<string, unknown>) => lines.push(redact(JSON.stringify({ m, meta }))) };
    hook.respond(500, "boom");
    const failing = sender("slack", clock, { logger });
    const outcome = await failing.send(alert());
    expect(outcome).toMatchObject({ status: "failed", delivery: { delivered: false, status: 500, body: "boom" } });
    // Not delivered: the next occurrence is tried again, with the count so far.
    hook.respond(200);
    const retried = await failing.send(alert());
    expect(retried.status).toBe("sent");
    expect(hook.requests.at(-1)!.body.blocks[1].text.text).toContain("Happened 2 times");
    const down = new AlertSender({
      config: { webhookUrl: "http://127.0.0.1:9/hook/abc", format: "json", telegramChatId: null, minEthProofs: 1 },
      origin,
      fetch: (i, init) => fetch(i, init),
      now: () => 0,
      logger,
      timeoutMs: 2000,
    });
    expect((await down.send(alert())).status).toBe("failed");
    expect(lines.join("\n")).not.toContain("secret-token");
    expect(lines.join("\n")).toContain(hook.url.replace("http://", ""));
  });

  test("no webhook configured: nothing is sent", async () => {
    const s = new AlertSender({
      config: { webhookUrl: null, format: "json", telegramChatId: null, minEthProofs: 1 },
      origin,
      fetch: () => Promise.reject(new Error("must not be called")),
      now: () => 0,
      logger: createNullLogger(),
    });
    expect(await s.send(alert())).toEqual({ status: "disabled" });
  });
});

describe("alert rules", () => {
  function rules(now: { t: number }, minEthProofs = 10) {
    const sent: Alert[] = [];
    const r = new AlertRules({ send: async (a) => (sent.push(a), { status: "suppressed" }), now: () => now.t, minEthProofs });
    return { r, sent };
  }

  test("crash loop: 3 restarts within 10 minutes", () => {
    const now = { t: 0 };
    const { r, sent } = rules(now);
    r.nodeRestarted("exit 1");
    now.t += 5 * 60_000;
    r.nodeRestarted("exit 1");
    expect(sent).toHaveLength(0);
    now.t += 4 * 60_000;
    r.nodeRestarted("exit 1");
    expect(sent.map((a) => a.kind)).toEqual(["node_crash_loop"]);
    now.t += 30 * 60_000;
    r.nodeRestarted();
    expect(sent).toHaveLength(1);
  });

  test("ETH balance below what N more proofs need", () => {
    const { r, sent } = rules({ t: 0 }, 10);
    const proofCost = 200_000n * 1_000_000_000n; // 200k gas at 1 gwei = 0.0002 ETH
    r.walletBalance(proofCost * 10n, proofCost);
    expect(sent).toHaveLength(0);
    r.walletBalance(proofCost * 3n, proofCost, "0xHost");
    expect(sent[0]).toMatchObject({ kind: "eth_balance_low", subject: "0xHost", details: { proofsLeft: "3", balanceEth: "0.0006" } });
  });

  test("the other kinds", () => {
    const { r, sent } = rules({ t: 0 });
    r.nodeDown("exit 137");
    r.proofFailedPermanently(42n, "session expired", 900);
    r.stakeSlashed(10n ** 20n, 9n * 10n ** 20n);
    r.hostUnregistered("HostAutoUnregistered");
    r.rpcAllDown(2, "ECONNREFUSED");
    expect(sent.map((a) => [a.kind, a.subject])).toEqual([
      ["node_down", "node"],
      ["proof_failed_permanently", "job 42"],
      ["stake_slashed", "stake"],
      ["host_unregistered", "registration"],
      ["rpc_all_down", "rpc"],
    ]);
    expect(sent[2]!.message).toContain("100.0 FAB");
  });
});
