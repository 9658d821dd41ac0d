/**
 * What operations hears of the nodes: readiness (/readyz, node_up), restarts and crash loops (metrics, the daily
 * summary, alerts). The first node is the host loop's supervisor; on a host that runs one node per model or GPU the
 * others come through NodeInstances, each under its own readiness check and alerts naming it and its model.
 */
import type { OpsRuntime } from "../ops/runtime.ts";
import { nodeCheck } from "../ops/events.ts";
import type { Supervisor } from "../node/supervisor/supervisor.ts";
import type { ExtraNodes } from "../node/instances/manager.ts";

export function reportNodes(ops: Pick<OpsRuntime, "emit" | "health">, first: Supervisor, extras: ExtraNodes | undefined): void {
  ops.emit({ type: "node_ready" });
  first.on("restart", (event) => ops.emit({ type: "node_restarted", reason: event.reason }));
  first.on("crash-loop", (event) => ops.emit({ type: "node_down", reason: event.reason }));
  first.on("ready", () => ops.emit({ type: "node_ready" }));
  first.on("unhealthy", () => ops.health.set("node", false, "node unhealthy"));
  if (!extras) return;
  // The other nodes started before operations did (their component starts first): take them as they are now.
  for (const state of extras.extraStates()) {
    if (state.ready) ops.emit({ type: "node_ready", node: state.node, model: state.model });
    else ops.health.set(nodeCheck(state.node), false, "not running");
  }
  extras.onExtraEvent((event) => {
    const about = { node: event.node, model: event.model };
    if (event.type === "ready") ops.emit({ type: "node_ready", ...about });
    else if (event.type === "restart") ops.emit({ type: "node_restarted", reason: event.reason, ...about });
    else if (event.type === "down") ops.emit({ type: "node_down", reason: event.reason, ...about });
    else ops.health.set(nodeCheck(event.node), false, `node unhealthy: ${event.reason}`);
  });
}
