import { afterEach, describe, expect, test } from "bun:test";
import { register as globalRegistry } from "prom-client";
import { createHostMetrics } from "../../../../src/ops/metrics/host-metrics.ts";
import { parseExposition, parseSampleLine } from "../../../../src/ops/metrics/parse-exposition.ts";
import { rpcLabel } from "../../../../src/ops/metrics/rpc-label.ts";
import { recordLogDropped, recordLogWriteFailure, resetLogHealth } from "../../../../src/ops/logging/log-health.ts";

afterEach(() => resetLogHealth());

describe("host metrics", () => {
  test("private registry with fabstir_host_ names, _total counters and build info", async () => {
    let now = 1_000_000;
    const metrics = createHostMetrics({ build: { version: "1.2.3", commit: "abc" }, now: () => now });
    metrics.sessionsTotal.inc();
    metrics.sessionsActive.set(2);
    metrics.tokensGenerated.inc(500);
    metrics.proofsFailed.inc({ permanent: "true" });
    metrics.earnings.inc({ token: "eth" }, 0.0025);
    metrics.rpcError("https://base-sepolia.g.alchemy.com/v2/SECRETKEY123");
    metrics.walletBalance.set(0.05);
    now += 90_000;
    const text = await metrics.text();
    const families = parseExposition(text);
    const names = families.map((f) => f.name);
    for (const name of names) expect(name.startsWith("fabstir_host_")).toBe(true);
    for (const family of families.filter((f) => f.type === "counter")) expect(family.name.endsWith("_total")).toBe(true);
    expect(names).toEqual(
      expect.arrayContaining([
        "fabstir_host_sessions_active",
        "fabstir_host_sessions_total",
        "fabstir_host_tokens_generated_total",
        "fabstir_host_tokens_proven_total",
        "fabstir_host_proofs_submitted_total",
        "fabstir_host_proofs_failed_total",
        "fabstir_host_proofs_pending",
        "fabstir_host_earnings_credited_total",
        "fabstir_host_node_restarts_total",
        "fabstir_host_rpc_errors_total",
        "fabstir_host_rpc_failovers_total",
        "fabstir_host_wallet_balance_eth",
        "fabstir_host_uptime_seconds",
        "fabstir_host_build_info",
      ]),
    );
    const sample = (name: string) => families.find((f) => f.name === name)!.samples[0]!;
    expect(sample("fabstir_host_uptime_seconds").value).toBe(90);
    expect(sample("fabstir_host_build_info").labels).toEqual({ version: "1.2.3", commit: "abc" });
    expect(sample("fabstir_host_earnings_credited_total")).toMatchObject({ labels: { token: "eth" }, value: 0.0025 });
    expect(text).not.toContain("SECRETKEY123");
    expect(await globalRegistry.metrics()).not.toContain("fabstir_host_");
    // Two registries side by side do not collide.
    createHostMetrics({ build: { version: "x", commit: "y" } });
  });

  test("logging health shows up even when logs cannot be written", async () => {
    recordLogWriteFailure("node");
    recordLogDropped(7);
    const families = parseExposition(await createHostMetrics({ build: { version: "1", commit: "c" } }).text());
    const find = (name: string) => families.find((f) => f.name === name)!.samples;
    expect(find("fabstir_host_log_write_errors_total")[0]!.value).toBe(1);
    expect(find("fabstir_host_log_lines_dropped_total")[0]!.value).toBe(7);
    expect(find("fabstir_host_log_write_failing")).toEqual([{ name: "fabstir_host_log_write_failing", labels: { component: "node" }, value: 1 }]);
  });

  test("RPC labels never carry keys", () => {
    expect(rpcLabel("https://sepolia.base.org")).toBe("https://sepolia.base.org");
    expect(rpcLabel("https://sepolia.base.org/")).toBe("https://sepolia.base.org");
    const keyed = rpcLabel("https://base-sepolia.g.alchemy.com/v2/abcdef123456");
    expect(keyed).toMatch(/^https:\/\/base-sepolia\.g\.alchemy\.com\/…#[0-9a-f]{6}$/);
    expect(keyed).not.toContain("abcdef123456");
    expect(rpcLabel("https://x.io/?apikey=zzz")).not.toContain("zzz");
    expect(rpcLabel("https://a.io/v2/one")).not.toBe(rpcLabel("https://a.io/v2/two"));
  });

  test("exposition parser reads labels with escapes, special values and timestamps", () => {
    expect(parseSampleLine('m_total{a="x\\"y",b="1\\\\2"} 3 1700000000')).toEqual({ name: "m_total", labels: { a: 'x"y', b: "1\\2" }, value: 3 });
    expect(parseSampleLine("g +Inf")!.value).toBe(Infinity);
    expect(parseSampleLine("g NaN")!.value).toBeNaN();
    const families = parseExposition(
      '# HELP h_seconds Help text.\n# TYPE h_seconds histogram\nh_seconds_bucket{le="1"} 2\nh_seconds_sum 1.5\nh_seconds_count 2\n',
    );
    expect(families).toHaveLength(1);
    expect(families[0]).toMatchObject({ name: "h_seconds", type: "histogram", help: "Help text." });
    expect(families[0]!.samples).toHaveLength(3);
  });
});
