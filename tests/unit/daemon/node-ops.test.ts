/**
 * Operations' view of a host that runs several nodes (src/daemon/node-ops.ts): every node has its own readiness check,
 * node_up is 1 only while all of them are ready, and a node's crash loop or fall is alerted naming the node and its
 * model, its restarts counted apart from the other nodes'.
 */
import { describe, expect, test } from "bun:test";
import { EventEmitter } from "node:events";
import { reportNodes } from "../../../src/daemon/node-ops.ts";
import { createOpsEvents } from "../../../src/ops/events.ts";
import { createHostMetrics } from "../../../src/ops/metrics/host-metrics.ts";
import { HealthState } from "../../../src/ops/http/health-state.ts";
import { AlertRules } from "../../../src/ops/alerts/alert-rules.ts";
import { parseExposition } from "../../../src/ops/metrics/parse-exposition.ts";
import type { Alert } from "../../../src/ops/alerts/alert-types.ts";
import type { NodeEvent } from "../../../src/node/instances/manager.ts";
import type { Supervisor } from "../../../src/node/supervisor/supervisor.ts";

const MODEL = "org/second-model:second.gguf";

function setup(extraReady = true) {
  const metrics = createHostMetrics({ build: { version: "1", commit: "c" } });
  const health = new HealthState({ required: ["node"] });
  const sent: Alert[] = [];
  let now = 0;
  const alerts = new AlertRules({ send: async (a) => (sent.push(a), { status: "suppressed" }), now: () => now, minEthProofs: 1, crashLoopRestarts: 3 });
  const emit = createOpsEvents({ metrics, alerts, health });
  const first = new EventEmitter() as unknown as Supervisor;
  let listener: (event: NodeEvent) => void = () => {};
  reportNodes({ emit, health }, first, {
    extraStates: () => [{ node: "node-2", model: MODEL, ready: extraReady }],
    onExtraEvent: (l) => (listener = l),
  });
  const nodeUp = async () => parseExposition(await metrics.text()).find((f) => f.name === "fabstir_host_node_up")!.samples[0]!.value;
  const restarts = async () => parseExposition(await metrics.text()).find((f) => f.name === "fabstir_host_node_restarts_total")!.samples[0]!.value;
  return { health, sent, first, extra: (event: NodeEvent) => listener(event), nodeUp, restarts, tick: (ms: number) => (now += ms) };
}

describe("operations and several nodes", () => {
  test("each node has its own readiness check; node_up is 1 while every one is ready", async () => {
    const t = setup();
    expect(t.health.readiness().checks.map((c) => [c.name, c.ready])).toEqual([
      ["node", true],
      ["node node-2", true],
    ]);
    expect(await t.nodeUp()).toBe(1);
    t.extra({ type: "down", node: "node-2", model: MODEL, reason: "crashed 5 times in 60 s" });
    expect(t.health.readiness().notReady).toEqual([expect.objectContaining({ name: "node node-2", detail: "crashed 5 times in 60 s" })]);
    expect(await t.nodeUp()).toBe(0);
    t.extra({ type: "ready", node: "node-2", model: MODEL });
    expect(t.health.readiness().ready).toBe(true);
    expect(await t.nodeUp()).toBe(1);
  });

  test("a node that fails its health checks is not ready, named, with why", () => {
    const t = setup();
    t.extra({ type: "unhealthy", node: "node-2", model: MODEL, reason: "3 health checks failed" });
    expect(t.health.readiness().notReady).toEqual([expect.objectContaining({ name: "node node-2", detail: "node unhealthy: 3 health checks failed" })]);
  });

  test("a node not running when operations start is not ready, without an alert", () => {
    const t = setup(false);
    expect(t.health.readiness().notReady.map((c) => c.name)).toEqual(["node node-2"]);
    expect(t.sent).toEqual([]);
  });

  test("alerts name the node and its model; each node's restarts count towards its own crash loop", async () => {
    const t = setup();
    (t.first as unknown as EventEmitter).emit("restart", { reason: "crash" });
    t.extra({ type: "restart", node: "node-2", model: MODEL, reason: "crash" });
    t.extra({ type: "restart", node: "node-2", model: MODEL, reason: "hang" });
    // Four restarts in all, but no node restarted three times: no crash-loop alert yet.
    expect(t.sent).toEqual([]);
    t.extra({ type: "restart", node: "node-2", model: MODEL, reason: "crash" });
    expect(t.sent.map((a) => [a.kind, a.subject, a.title])).toEqual([["node_crash_loop", "node node-2", `Inference node node-2 (${MODEL}) is crash-looping`]]);
    expect(t.sent[0]!.message).toContain("logs/node-2/node.log");
    expect(await t.restarts()).toBe(4);
    t.extra({ type: "down", node: "node-2", model: MODEL, reason: "gave up" });
    expect(t.sent.at(-1)).toMatchObject({ kind: "node_down", subject: "node node-2", title: `Inference node node-2 (${MODEL}) is down` });
  });

  test("the first node's alerts read as they always did", () => {
    const t = setup();
    (t.first as unknown as EventEmitter).emit("crash-loop", { reason: "crashed 5 times" });
    expect(t.sent).toEqual([
      expect.objectContaining({
        kind: "node_down",
        subject: "node",
        title: "Inference node is down",
        message: "The inference node stopped and is not serving: crashed 5 times",
      }),
    ]);
    expect(t.health.readiness().notReady.map((c) => c.name)).toEqual(["node"]);
  });
});
