/**
 * The nodes besides the first, as a host component: started before the session front opens (components start in
 * order, this one first) and stopped after it closes. Each node's restarts and crash loops reach the log with the
 * node's name and model, and every change of any node (the first included) is written to run/nodes.json for `status`.
 */
import type { HostComponent } from "./components.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import type { NodeInstances } from "../node/instances/manager.ts";
import { removeNodesFile, writeNodesFile } from "../node/instances/nodes-file.ts";
import { processStartToken } from "../node/supervisor/process-group.ts";

export function nodesComponent(nodes: () => NodeInstances, logger: Logger, runDir: string): HostComponent {
  const health = new Map<string, string>();
  let written = "";
  const publish = () => {
    try {
      const report = nodes()
        .status()
        .map((s) => ({
          name: s.name,
          model: s.model,
          gpus: s.gpus,
          state: s.state,
          port: s.port ?? null,
          pid: s.pid ?? null,
          restarts: s.restarts,
          health: health.get(s.name) ?? null,
          unhealthyReason: s.unhealthyReason ?? null,
          sessions: s.sessions,
          processStart: s.pid ? (processStartToken(s.pid) ?? null) : null,
        }));
      // Only a change is written: the front reports session counts every few seconds.
      const text = JSON.stringify(report);
      if (text === written) return;
      writeNodesFile(runDir, report);
      written = text;
    } catch (error) {
      logger.warn("could not write the nodes' state for status", { error: (error as Error).message });
    }
  };
  return {
    name: "nodes",
    async start() {
      const all = nodes();
      all.onSessions = publish;
      for (const { instance, supervisor } of all.runs) {
        const about = { node: instance.name, model: instance.model, gpus: instance.gpus };
        supervisor.on("restart", (event) => {
          logger.warn(`${instance.name} restarting`, { ...about, reason: event.reason, attempt: event.attempt });
          publish();
        });
        supervisor.on("crash-loop", (event) => {
          logger.error(`${instance.name} gave up: ${event.reason}`, about);
          publish();
        });
        supervisor.on("ready", () => publish());
        supervisor.on("exit", () => publish());
        supervisor.on("health", (event) => {
          if (health.get(instance.name) === event.status) return;
          health.set(instance.name, event.status);
          publish();
        });
      }
      await all.startExtras();
      for (const status of all.status()) logger.info(`${status.name} ready`, { model: status.model, gpus: status.gpus, port: status.port, pid: status.pid });
      publish();
    },
    async stop() {
      await nodes().stopExtras();
      removeNodesFile(runDir);
    },
  };
}
