/**
 * `start` in its three forms:
 *   foreground    the host loop in this process; Ctrl-C stops it (drain, then the node).
 *   daemon        check everything here (and unlock the key, where a prompt can reach the user), then launch the
 *                 detached child and report once it is ready.
 *   daemon-child  the detached process itself: the same host loop, telling the parent how the start went.
 */
import type { HostContext } from "../context.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import { createComponentLogger } from "../ops/logging/component-logger.ts";
import { HostError } from "../errors/host-error.ts";
import { SupervisorErrors } from "../errors/codes/supervisor.ts";
import { runHost, type HostReadyInfo } from "./host-loop.ts";
import { daemonLogPath, launchDaemon, readHandoff, sendDaemonStatus, statusFromError } from "./detach.ts";
import { hostComponents, hostKeyUnlocker, hostSignerUnlocker, loadHostConfig, planHost, supervisorSettingsFor, type HostPlan } from "./host-setup.ts";
import { readDaemonState } from "./pid-file.ts";
import { DEFAULT_SUPERVISOR_SETTINGS } from "../node/supervisor/supervisor.ts";
import { instanceConfig, NodeInstances } from "../node/instances/manager.ts";
import { selfCommand } from "../util/self-command.ts";
import { nodesComponent } from "./nodes-component.ts";
import type { NodeDirectory } from "../session/router.ts";

export type StartMode = "foreground" | "daemon" | "daemon-child";

export interface StartOptions {
  mode: StartMode;
  passwordFile?: string;
  startupTimeoutMs?: number;
  /** Foreground: called once the host serves (the command prints where). */
  onReady?: (info: HostReadyInfo) => void;
}

export interface StartResult {
  mode: "foreground" | "daemon";
  pid: number;
  nodePid: number;
  nodePort: number;
  startupMs: number;
  pidFile: string;
  logs: { node: string; host: string | null; daemon: string | null };
  /** Foreground: what stopped it. */
  stoppedBy?: string;
}

export async function startHost(context: HostContext, options: StartOptions): Promise<StartResult> {
  if (options.mode === "daemon") return startDaemon(context, options);
  if (options.mode === "daemon-child") return runDaemonChild(context, options);
  const plan = await planHost(context);
  refuseIfRunning(context);
  const logger = createComponentLogger(context.paths, "supervisor", plan.config.logging, {
    console: { stream: context.stderr, color: context.output.color, level: context.output.quiet ? "warn" : "info" },
    stderr: context.stderr,
  });
  let ready: HostReadyInfo | undefined;
  try {
    const result = await runLoop(context, plan, logger, "foreground", hostSignerUnlocker(context, plan.config, options.passwordFile), options, (info) => {
      ready = info;
      options.onReady?.(info);
    });
    if (!ready) throw new HostError(SupervisorErrors.NODE_START_FAILED, "The host was stopped before the node was ready.");
    return { ...resultFrom(ready, logger, null), stoppedBy: result.reason };
  } finally {
    await logger.close();
  }
}

async function startDaemon(context: HostContext, options: StartOptions): Promise<StartResult> {
  const plan = await planHost(context);
  refuseIfRunning(context);
  // Unlocked here, where a password prompt reaches the user; the daemon gets the key over its stdin, never argv or env.
  const unlock = hostSignerUnlocker(context, plan.config, options.passwordFile) ?? hostKeyUnlocker(context, plan.config, options.passwordFile);
  const hostKey = unlock ? await unlock() : undefined;
  const settings = { ...DEFAULT_SUPERVISOR_SETTINGS, ...supervisorSettingsFor(context, plan.config, options.startupTimeoutMs) };
  const launch = await launchDaemon(context, {
    handoff: hostKey ? { hostKey } : {},
    extraArgs: options.startupTimeoutMs ? ["--startup-timeout", String(Math.ceil(options.startupTimeoutMs / 1000))] : [],
    // The child gives up on the node at startupTimeoutMs and says so; this is only a backstop.
    readyTimeoutMs: settings.startupTimeoutMs + 30_000,
  });
  const record = readDaemonState(context.paths);
  const hostLog = record.status === "running" ? record.record.logs.host : null;
  return {
    mode: "daemon",
    pid: launch.pid,
    nodePid: launch.info.nodePid,
    nodePort: launch.info.nodePort,
    startupMs: launch.info.startupMs,
    pidFile: launch.info.pidFile,
    logs: { node: launch.info.nodeLog, host: hostLog, daemon: launch.daemonLog },
  };
}

async function runDaemonChild(context: HostContext, options: StartOptions): Promise<StartResult> {
  let logger: Logger | undefined;
  try {
    const handoff = await readHandoff(context.stdin);
    const plan = await planHost(context);
    logger = createComponentLogger(context.paths, "supervisor", plan.config.logging);
    const unlock = handoff.hostKey ? async () => handoff.hostKey! : hostSignerUnlocker(context, plan.config, options.passwordFile);
    let ready: HostReadyInfo | undefined;
    const result = await runLoop(context, plan, logger, "daemon", unlock, options, (info) => {
      ready = info;
      sendDaemonStatus({ type: "ready", info });
    });
    if (!ready) throw new HostError(SupervisorErrors.NODE_START_FAILED, "The host was stopped before the node was ready.");
    return { ...resultFrom(ready, logger, daemonLogPath(context)), stoppedBy: result.reason };
  } catch (error) {
    sendDaemonStatus(statusFromError(error));
    throw error;
  } finally {
    await logger?.close();
  }
}

function runLoop(
  context: HostContext,
  plan: HostPlan,
  logger: Logger,
  mode: "foreground" | "daemon",
  unlockHostKey: (() => Promise<string>) | undefined,
  options: StartOptions,
  onReady: (info: HostReadyInfo) => void,
) {
  // The node gets the key only when it signs (node.signer = "node"); this process keeps it for its own proofs either way.
  const nodeKey = plan.config.node.signer === "node" ? (unlockHostKey ?? hostKeyUnlocker(context, plan.config, options.passwordFile)) : undefined;
  const supervisorSettings = supervisorSettingsFor(context, plan.config, options.startupTimeoutMs);
  const [first] = plan.instances;
  for (const skipped of plan.skipped)
    logger.warn(`${skipped.name} not started: its model file is missing`, { model: skipped.model, modelPath: skipped.modelPath });
  // Several models or nodes: the front routes each session to its job's model's node (src/session/router.ts).
  let nodes: NodeInstances | undefined;
  const routed = plan.instances.length > 1 || plan.config.models.length > 1;
  const directory: NodeDirectory | undefined = routed
    ? {
        upstreams: (id) => nodes?.upstreams(id) ?? [],
        servedModels: () => nodes?.servedModels() ?? [],
        fallback: () => nodes?.fallback(),
        reportSessions: (byNode) => nodes?.reportSessions(byNode),
      }
    : undefined;
  const nodeSpec = { binaryPath: plan.binaryPath, network: plan.network, unlockHostKey: nodeKey };
  const components = hostComponents(context, plan.config, unlockHostKey, directory, () => nodes);
  return runHost(context, {
    config: plan.config,
    mode,
    node: { ...nodeSpec, modelPath: plan.modelPath, config: first ? instanceConfig(plan.config, first) : undefined },
    components: routed ? [nodesComponent(() => nodes!, logger, context.paths.runDir), ...components] : components,
    reloadConfig: async () => (await planHost(context, await loadHostConfig(context))).config,
    logger,
    supervisorSettings,
    logFiles: { host: logger.filePath ?? null, daemon: mode === "daemon" ? daemonLogPath(context) : null },
    onReady,
    onSupervisor: (primary) => {
      if (!routed || !first) return;
      const deps = { spawn: context.spawn, fetch: context.fetch, logger, clock: context.clock, logsDir: context.paths.logsDir, baseEnv: context.env };
      nodes = new NodeInstances({
        instances: plan.instances,
        primary,
        spec: nodeSpec,
        salvage: [...selfCommand(), context.paths.home],
        config: plan.config,
        deps,
        settings: supervisorSettings,
      });
    },
  });
}

function refuseIfRunning(context: HostContext): void {
  const state = readDaemonState(context.paths);
  if (state.status !== "running") return;
  const record = state.record;
  throw new HostError(
    SupervisorErrors.DAEMON_ALREADY_RUNNING,
    `A host is already running for ${context.paths.home} (pid ${record.pid}, ${record.mode}, started ${record.started}).`,
    {
      details: { pid: record.pid, mode: record.mode, started: record.started },
    },
  );
}

function resultFrom(info: HostReadyInfo, logger: Logger, daemonLog: string | null): StartResult {
  return {
    mode: info.mode,
    pid: info.pid,
    nodePid: info.nodePid,
    nodePort: info.nodePort,
    startupMs: info.startupMs,
    pidFile: info.pidFile,
    logs: { node: info.nodeLog, host: logger.filePath ?? null, daemon: daemonLog },
  };
}
