/**
 * installers/grafana/fabstir-host.json: importable as is (a Grafana dashboard with a Prometheus datasource input),
 * and every query names only metrics the host exports (read from the metrics registry itself, so a renamed metric
 * breaks this test, not the operator's dashboard).
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHostMetrics } from "../../../src/ops/metrics/host-metrics.ts";

const dashboard = JSON.parse(readFileSync(join(import.meta.dir, "../../../installers/grafana/fabstir-host.json"), "utf8"));
type Panel = { type: string; title: string; datasource?: { uid: string }; targets?: Array<{ expr: string }>; gridPos: unknown };
const panels: Panel[] = dashboard.panels;
const queries = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

function exportedNames(): Set<string> {
  const metrics = createHostMetrics({ build: { version: "0", commit: "0" } });
  const names = new Set<string>();
  for (const metric of metrics.registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) names.add(name + suffix);
  }
  return names;
}

describe("the Grafana dashboard", () => {
  test("is a dashboard Grafana imports: uid, title, a Prometheus datasource input, panels with positions", () => {
    expect(dashboard.uid).toBe("fabstir-host");
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus" })]);
    expect(dashboard.id).toBeNull();
    expect(panels.length).toBeGreaterThan(10);
    for (const panel of panels) expect(panel.gridPos).toBeDefined();
    for (const panel of panels.filter((p) => p.type !== "row")) expect(panel.datasource?.uid).toBe("${DS_PROMETHEUS}");
    expect(new Set(panels.map((p) => (p as unknown as { id: number }).id)).size).toBe(panels.length);
  });

  test("every query names only metrics the host exports", () => {
    const exported = exportedNames();
    expect(queries.length).toBeGreaterThan(15);
    for (const { panel, expr } of queries) {
      const named = expr.match(/fabstir_host_[a-z0-9_]+/g) ?? [];
      expect({ panel, named: named.length > 0 }).toEqual({ panel, named: true });
      for (const name of named) expect({ panel, name, exported: exported.has(name) }).toEqual({ panel, name, exported: true });
    }
    const variable = dashboard.templating.list[0].query.query as string;
    for (const name of variable.match(/fabstir_host_[a-z0-9_]+/g) ?? []) expect(exported.has(name)).toBe(true);
  });

  test("covers what an operator asks: sessions, tokens, proofs and latency, gas, gross and net, runway, RPC, restarts", () => {
    const all = queries.map((q) => q.expr).join("\n");
    for (const name of [
      "sessions_active",
      "tokens_generated_total",
      "proofs_submitted_total",
      "proof_latency_seconds_bucket",
      "gas_spent_eth_total",
      "earnings_credited_total",
      "net_earnings_eth",
      "wallet_balance_eth",
      "rpc_errors_total",
      "rpc_failovers_total",
      "node_restarts_total",
    ])
      expect(all).toContain(`fabstir_host_${name}`);
  });
});
