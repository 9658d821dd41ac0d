/**
 * The nodes besides the first, as a host component: started before the session front opens (components start in
 * order, this one first) and stopped after it closes. Each node's restarts and crash loops reach the logs and the
 * operations runtime with the node's name and model.
 */
import type { HostComponent } from "./components.ts";
import type { Logger } from "../ops/logger-types.ts";
import type { NodeInstances } from "../node/instances/manager.ts";

export function nodesComponent(nodes: () => NodeInstances, logger: Logger): HostComponent {
  return {
    name: "nodes",
    async start() {
      const all = nodes();
      for (const { instance, supervisor } of all.runs) {
        const about = { node: instance.name, model: instance.model, gpus: instance.gpus };
        supervisor.on("restart", (event) => logger.warn(`${instance.name} restarting`, { ...about, reason: event.reason, attempt: event.attempt }));
        supervisor.on("crash-loop", (event) => logger.error(`${instance.name} gave up: ${event.reason}`, about));
      }
      await all.startExtras();
      for (const status of all.status()) logger.info(`${status.name} ready`, { model: status.model, gpus: status.gpus, port: status.port, pid: status.pid });
    },
    async stop() {
      await nodes().stopExtras();
    },
  };
}
