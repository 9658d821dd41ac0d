import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOpsEvents } from "../../../src/ops/events.ts";
import { createHostMetrics } from "../../../src/ops/metrics/host-metrics.ts";
import { HealthState } from "../../../src/ops/http/health-state.ts";
import { DailySummary } from "../../../src/ops/summary/daily-summary.ts";
import { AlertRules } from "../../../src/ops/alerts/alert-rules.ts";
import { createNullLogger } from "../../../src/ops/logging/logger.ts";
import { parseExposition } from "../../../src/ops/metrics/parse-exposition.ts";
import type { Alert } from "../../../src/ops/alerts/alert-types.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("ops events", () => {
  test("one event reaches metrics, summary, readiness and alerts", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "fabstir-events-"));
    dirs.push(stateDir);
    const metrics = createHostMetrics({ build: { version: "1", commit: "c" } });
    const health = new HealthState();
    const summary = new DailySummary({ stateDir, now: () => Date.parse("2026-07-01T10:00:00Z"), logger: createNullLogger() });
    const sent: Alert[] = [];
    const alerts = new AlertRules({ send: async (a) => (sent.push(a), { status: "suppressed" }), now: () => 0, minEthProofs: 10 });
    const emit = createOpsEvents({ metrics, summary, alerts, health });

    emit({ type: "session_started", sessionId: "s1" });
    emit({ type: "session_started", sessionId: "s2" });
    emit({ type: "session_ended", sessionId: "s1" });
    emit({ type: "tokens_generated", count: 250 });
    emit({ type: "proof_submitted", jobId: "7", tokens: 200, txHash: "0x1" });
    emit({ type: "proof_failed", jobId: "8", reason: "expired", permanent: true });
    emit({ type: "proofs_pending", count: 4 });
    emit({ type: "earnings_credited", token: "usdc", amount: 1_500_000n });
    emit({ type: "node_ready" });
    emit({ type: "rpc_error", url: "https://rpc.example/v2/key" });
    emit({ type: "rpc_failover", from: "https://rpc.example/v2/key", to: "https://sepolia.base.org" });
    emit({ type: "rpc_recovered" });
    emit({ type: "registration", registered: true });
    emit({ type: "wallet_balance", wei: 10n ** 12n, proofCostWei: 10n ** 12n });
    emit({ type: "registration", registered: false, reason: "HostAutoUnregistered" });

    const families = parseExposition(await metrics.text());
    const value = (name: string, labels: Record<string, string> = {}) =>
      families.find((f) => f.name === name)!.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))!.value;
    expect(value("fabstir_host_sessions_active")).toBe(1);
    expect(value("fabstir_host_sessions_total")).toBe(2);
    expect(value("fabstir_host_tokens_proven_total")).toBe(200);
    expect(value("fabstir_host_proofs_failed_total", { permanent: "true" })).toBe(1);
    expect(value("fabstir_host_proofs_pending")).toBe(4);
    expect(value("fabstir_host_earnings_credited_total", { token: "usdc" })).toBe(1.5);
    expect(value("fabstir_host_node_up")).toBe(1);
    expect(value("fabstir_host_wallet_balance_eth")).toBe(0.000001);
    expect(summary.current()).toMatchObject({
      sessions: 2,
      tokensGenerated: 250,
      proofsSubmitted: 1,
      proofsFailed: 1,
      rpcErrors: 1,
      earnings: { usdc: "1500000" },
    });
    expect(health.readiness().notReady.map((c) => c.name)).toEqual(["registered"]);
    expect(sent.map((a) => a.kind)).toEqual(["proof_failed_permanently", "eth_balance_low", "host_unregistered"]);
  });

  test("a host never registered does not alert as unregistered; bad input never throws", () => {
    const sent: Alert[] = [];
    const alerts = new AlertRules({ send: async (a) => (sent.push(a), { status: "suppressed" }), now: () => 0, minEthProofs: 1 });
    const emit = createOpsEvents({ alerts });
    emit({ type: "registration", registered: false });
    emit({ type: "earnings_credited", token: "eth", amount: "not a number" });
    expect(sent).toEqual([]);
  });
});
