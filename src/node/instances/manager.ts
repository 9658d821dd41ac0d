/**
 * Several nodes, each a Supervisor of its own: its own loopback and P2P ports, GPUs (CUDA_VISIBLE_DEVICES), model
 * file and node log, restarted and reported on its own. The first node is the host's primary supervisor (started by
 * the host loop, its log stays node.log); this runs the others and answers which running node serves which model.
 */
import { join } from "node:path";
import type { HostConfig } from "../../config/types.ts";
import { Supervisor } from "../supervisor/supervisor.ts";
import type { SupervisorDeps, SupervisorSettings, SupervisorSpec, SupervisorStatus } from "../supervisor/types.ts";
import { visibleDevices, type PlannedInstance } from "./plan.ts";

/** The configuration one node runs with: the host's, with this node's ports, GPUs, layers, context and model. */
export function instanceConfig(config: HostConfig, instance: PlannedInstance): HostConfig {
  const devices = visibleDevices(instance);
  return {
    ...config,
    node: {
      ...config.node,
      internalPort: instance.internalPort,
      p2pPort: instance.p2pPort,
      gpuLayers: instance.gpuLayers,
      contextLength: instance.contextLength,
      modelPath: instance.modelPath,
      // The node reads no GPU setting of its own: CUDA picks the devices it may see (the supervisor lets node.extraEnv
      // through and lays its own variables over it, src/node/supervisor/node-env.ts).
      extraEnv: devices === undefined ? config.node.extraEnv : { ...config.node.extraEnv, CUDA_VISIBLE_DEVICES: devices },
    },
  };
}

export interface InstanceStatus {
  name: string;
  model: string | null;
  modelId: string | null;
  gpus: number[];
  state: SupervisorStatus["state"];
  port: number | undefined;
  pid: number | undefined;
  restarts: number;
  unhealthyReason: string | undefined;
  /** Sessions open on this node, as the front last reported them. */
  sessions: number;
}

export interface RunningInstance {
  instance: PlannedInstance;
  supervisor: Supervisor;
}

/** What operations hears of a node besides the first (the host loop reports the first itself). */
export type NodeEvent =
  | { type: "ready"; node: string; model: string | null }
  | { type: "restart" | "down" | "unhealthy"; node: string; model: string | null; reason: string };

/** The nodes besides the first, for operations (metrics, /readyz, alerts). */
export type ExtraNodes = Pick<NodeInstances, "extraStates" | "onExtraEvent">;

export interface NodeInstancesOptions {
  /** Every planned node; the first is `primary`'s. */
  instances: PlannedInstance[];
  primary: Supervisor;
  spec: Omit<SupervisorSpec, "config" | "modelPath" | "orphanSalvage">;
  /** The orphan watchdog's count salvage (binary and config directory); each node adds its own port. */
  salvage?: string[];
  config: HostConfig;
  deps: SupervisorDeps;
  settings?: Partial<SupervisorSettings>;
}

export class NodeInstances {
  readonly runs: RunningInstance[];
  private sessions = new Map<string, number>();

  constructor(options: NodeInstancesOptions) {
    const [first, ...rest] = options.instances;
    if (!first) throw new Error("no node planned");
    this.runs = [
      { instance: first, supervisor: options.primary },
      ...rest.map((instance) => ({
        instance,
        supervisor: new Supervisor(
          {
            ...options.spec,
            config: instanceConfig(options.config, instance),
            modelPath: instance.modelPath,
            orphanSalvage: options.salvage && instance.internalPort ? [...options.salvage, String(instance.internalPort)] : options.salvage,
          },
          // Each node's console output in logs/<name>/node.log, rotated like the first node's.
          { ...options.deps, logsDir: join(options.deps.logsDir, instance.name) },
          options.settings,
        ),
      })),
    ];
  }

  /** The nodes besides the first. */
  get extras(): RunningInstance[] {
    return this.runs.slice(1);
  }

  /** Starts every node besides the first, together; if one cannot start, the others are stopped and it throws. */
  async startExtras(): Promise<void> {
    const results = await Promise.allSettled(this.extras.map((run) => run.supervisor.start()));
    const failed = results.findIndex((result) => result.status === "rejected");
    if (failed < 0) return;
    await this.stopExtras();
    throw (results[failed] as PromiseRejectedResult).reason;
  }

  async stopExtras(graceMs?: number): Promise<void> {
    await Promise.all(this.extras.map((run) => run.supervisor.stop(graceMs)));
  }

  status(): InstanceStatus[] {
    return this.runs.map(({ instance, supervisor }) => {
      const status = supervisor.status();
      const sessions = status.port ? (this.sessions.get(`http://127.0.0.1:${status.port}`) ?? 0) : 0;
      return {
        name: instance.name,
        model: instance.model,
        modelId: instance.modelId,
        gpus: instance.gpus,
        state: status.state,
        port: status.port,
        pid: status.pid,
        restarts: status.restarts,
        unhealthyReason: status.unhealthyReason,
        sessions,
      };
    });
  }

  /** The nodes besides the first as they are now: whether each is serving. */
  extraStates(): { node: string; model: string | null; ready: boolean }[] {
    return this.extras.map(({ instance, supervisor }) => ({ node: instance.name, model: instance.model, ready: supervisor.status().state === "running" }));
  }

  /** Readiness, restarts, crash loops and failed health checks of the nodes besides the first. */
  onExtraEvent(listener: (event: NodeEvent) => void): void {
    for (const { instance, supervisor } of this.extras) {
      const about = { node: instance.name, model: instance.model };
      supervisor.on("ready", () => listener({ type: "ready", ...about }));
      supervisor.on("restart", (event) => listener({ type: "restart", ...about, reason: event.reason }));
      supervisor.on("crash-loop", (event) => listener({ type: "down", ...about, reason: event.reason }));
      supervisor.on("unhealthy", (event) => listener({ type: "unhealthy", ...about, reason: event.reason }));
    }
  }

  /** Open sessions per node base URL (the front's view); `status` shows them. */
  reportSessions(byNode: Map<string, number>): void {
    this.sessions = new Map(byNode);
    this.onSessions?.();
  }

  /** Called after each sessions report (the nodes file is rewritten when something changed). */
  onSessions?: () => void;

  /** Loopback URLs of the running nodes that loaded this model (bytes32 id). */
  upstreams(modelId: string): string[] {
    const id = modelId.toLowerCase();
    return this.status()
      .filter((s) => s.modelId === id && s.state === "running" && s.port)
      .map((s) => `http://127.0.0.1:${s.port}`);
  }

  servedModels(): string[] {
    return [...new Set(this.runs.map((run) => run.instance.modelId).filter((id): id is string => id !== null))];
  }

  fallback(): string | undefined {
    const first = this.status().find((s) => s.state === "running" && s.port);
    return first ? `http://127.0.0.1:${first.port}` : undefined;
  }
}
