/**
 * The running host, the same in the foreground and as a daemon: claim the PID file, start the supervised node, start
 * the plugged-in components (session front, proof pipeline …), then serve until SIGTERM/SIGINT; SIGHUP reloads the
 * configuration. Stopping drains first (components finish in-flight work until a deadline), then stops components in
 * reverse order, then the node, then removes the PID file.
 */
import type { HostContext } from "../context.ts";
import type { HostConfig } from "../config/types.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import { Supervisor, StartCancelled } from "../node/supervisor/index.ts";
import type { SupervisorSettings, SupervisorSpec } from "../node/supervisor/types.ts";
import { processStartToken } from "../node/supervisor/process-group.ts";
import { acquireHostLock, type HostLock } from "./pid-file.ts";
import { reapStaleHost } from "./reap.ts";
import { selfCommand } from "../util/self-command.ts";
import { processSignals, type SignalSource } from "./signals.ts";
import { HostRuntimeImpl, type HostComponent } from "./components.ts";

export interface HostReadyInfo {
  mode: "foreground" | "daemon";
  pid: number;
  nodePid: number;
  /** The node's loopback port. */
  nodePort: number;
  startupMs: number;
  pidFile: string;
  nodeLog: string;
}

export interface HostDeps {
  config: HostConfig;
  mode: "foreground" | "daemon";
  /** The (first) node; its own `config` (ports, GPUs, model of that node) when it differs from the host's. */
  node: Omit<SupervisorSpec, "config"> & { config?: HostConfig };
  components?: HostComponent[];
  /** Reads the configuration again for SIGHUP; a throw keeps the host on the old one. */
  reloadConfig?: () => Promise<HostConfig>;
  signals?: SignalSource;
  /** Where the host's own events go (default: the context's logger). */
  logger?: Logger;
  supervisorSettings?: Partial<SupervisorSettings>;
  /** How long drain hooks may take on SIGTERM before the node is stopped anyway. */
  drainTimeoutMs?: number;
  logFiles?: { host: string | null; daemon: string | null };
  onReady?: (info: HostReadyInfo) => void | Promise<void>;
  /** Sees the supervisor before it starts (metrics and alerts subscribe to its events here). */
  onSupervisor?: (supervisor: Supervisor) => void;
}

export interface HostRunResult {
  exitCode: number;
  /** What ended the run. */
  reason: "SIGTERM" | "SIGINT" | "stopped-while-starting";
}

const DEFAULT_DRAIN_MS = 30_000;

export async function runHost(context: HostContext, deps: HostDeps): Promise<HostRunResult> {
  const logger = deps.logger ?? context.logger;
  const signals = deps.signals ?? processSignals();
  const { config } = deps;
  const lock: HostLock = await acquireHostLock(
    context.paths,
    {
      started: new Date(context.clock.now()).toISOString(),
      version: context.build.version,
      mode: deps.mode,
      home: context.paths.home,
      state: "starting",
      unhealthyReason: null,
      node: null,
      ports: { internal: config.node.internalPort || null, api: config.node.apiPort, p2p: config.node.p2pPort },
      logs: { host: deps.logFiles?.host ?? logger.filePath ?? null, node: `${context.paths.logsDir}/node.log`, daemon: deps.logFiles?.daemon ?? null },
    },
    async (stale) => {
      logger.warn(`Replacing a stale PID file (${stale.reason})`, { previous: stale.record });
      await reapStaleHost(stale, logger, { stateDir: context.paths.stateDir, fetch: context.fetch, runDir: context.paths.runDir });
    },
  );

  const supervisor = new Supervisor(
    // Should this process die under its node, the watchdog first saves the node's session counts into the journal.
    { orphanSalvage: [...selfCommand(), context.paths.home], ...deps.node, config: deps.node.config ?? config },
    { spawn: context.spawn, fetch: context.fetch, logger, clock: context.clock, logsDir: context.paths.logsDir, baseEnv: context.env },
    deps.supervisorSettings,
  );
  supervisor.on("ready", ({ pid, port }) =>
    lock.update({
      state: "running",
      unhealthyReason: null,
      node: { pid, pgid: pid, processStart: processStartToken(pid) ?? null },
      ports: { ...lock.record().ports, internal: port },
    }),
  );
  supervisor.on("exit", ({ expected }) => {
    if (!expected) lock.update({ node: null });
  });
  supervisor.on("crash-loop", ({ reason }) => lock.update({ state: "unhealthy", unhealthyReason: reason, node: null }));
  deps.onSupervisor?.(supervisor);
  const runtime = new HostRuntimeImpl(config, context.paths, logger, supervisor);
  const components = deps.components ?? [];

  let stopSignal: "SIGTERM" | "SIGINT" | undefined;
  let forceStop: () => void = () => {};
  const forced = new Promise<void>((resolve) => (forceStop = resolve));
  let requestStop: (signal: "SIGTERM" | "SIGINT") => void = () => {};
  const stopRequested = new Promise<"SIGTERM" | "SIGINT">((resolve) => {
    requestStop = (signal) => {
      if (stopSignal) {
        logger.warn(`Second ${signal}: stopping without waiting for the drain`);
        forceStop();
        return;
      }
      stopSignal = signal;
      logger.info(`${signal} received: stopping the host`);
      resolve(signal);
    };
  });
  const unsubscribe = [
    signals.on("SIGTERM", () => requestStop("SIGTERM")),
    signals.on("SIGINT", () => requestStop("SIGINT")),
    signals.on("SIGHUP", () => void reload()),
  ];
  // A stop while the node is still loading aborts the start instead of waiting for it.
  void stopRequested.then(() => {
    if (supervisor.status().state === "starting") void supervisor.stop(deps.supervisorSettings?.stopTimeoutMs);
  });

  let ready = false;
  const reload = async () => {
    if (!ready) return;
    if (!deps.reloadConfig) {
      logger.warn("SIGHUP received, but this host cannot reload its configuration");
      return;
    }
    let next: HostConfig;
    try {
      next = await deps.reloadConfig();
    } catch (error) {
      logger.error("Config reload failed; the host keeps running on the previous configuration", { error: (error as Error).message });
      return;
    }
    if (
      JSON.stringify(next.node) !== JSON.stringify(runtime.config.node) ||
      next.network !== runtime.config.network ||
      next.chainId !== runtime.config.chainId
    ) {
      logger.warn("Node settings changed; they apply when the node restarts (fabstir-host restart)");
    }
    await runtime.reload(next, components);
    logger.info("Configuration reloaded");
  };

  const cleanup = () => {
    for (const off of unsubscribe) off();
    lock.release();
  };

  const started: HostComponent[] = [];
  const firstReady = supervisor.once("ready");
  try {
    await supervisor.start();
    const node = await firstReady;
    for (const component of components) {
      if (stopSignal) break;
      await component.start(runtime);
      started.push(component);
    }
    if (!stopSignal) {
      ready = true;
      lock.update({ state: "running" });
      const nodeLog = supervisor.logFile.path;
      await deps.onReady?.({
        mode: deps.mode,
        pid: process.pid,
        nodePid: node.pid,
        nodePort: node.port,
        startupMs: node.startupMs,
        pidFile: lock.path,
        nodeLog,
      });
    }
  } catch (error) {
    await stopAll(started, supervisor, logger, deps);
    cleanup();
    if (error instanceof StartCancelled) return { exitCode: 0, reason: "stopped-while-starting" };
    throw error;
  }

  const signal = await stopRequested;
  lock.update({ state: "stopping" });
  await runtime.drain(started, context.clock.now() + (deps.drainTimeoutMs ?? DEFAULT_DRAIN_MS), forced);
  await stopAll(started, supervisor, logger, deps);
  cleanup();
  logger.info("Host stopped", { signal });
  return { exitCode: 0, reason: signal };
}

async function stopAll(components: HostComponent[], supervisor: Supervisor, logger: Logger, deps: HostDeps): Promise<void> {
  for (const component of [...components].reverse()) {
    try {
      await component.stop();
    } catch (error) {
      logger.error(`Component ${component.name} failed to stop cleanly`, { error: (error as Error).message });
    }
  }
  await supervisor.stop(deps.supervisorSettings?.stopTimeoutMs);
}
