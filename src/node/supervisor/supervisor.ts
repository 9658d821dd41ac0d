/**
 * Runs fabstir-llm-node and keeps it running: spawn in its own process group, wait for real readiness, watch
 * liveness and /health, restart crashes and hangs with backoff, give up on a crash loop, stop cleanly.
 *
 * The first `start()` reports failure to the caller (a bad model or setting must surface at once, not loop);
 * failures after the node was up are handled here, with events for metrics and alerts.
 */
import { HostError } from "../../errors/host-error.ts";
import { SupervisorErrors } from "../../errors/codes/supervisor.ts";
import { registerSecret } from "../../util/redact.ts";
import { TypedEmitter } from "./typed-emitter.ts";
import { buildNodeEnv, inheritedEnv } from "./node-env.ts";
import { isFailedCheck, probeHealth } from "./health.ts";
import { NodeProcess, type NodeExit } from "./node-process.ts";
import { OutputTail } from "./output-tail.ts";
import { isPortFree } from "./port-check.ts";
import { StartCancelled, waitForReady } from "./readiness.ts";
import { RestartPolicy, DEFAULT_BACKOFF, DEFAULT_CRASH_LOOP } from "./restart-policy.ts";
import { createNodeLog, type LineSink } from "./node-log.ts";
import type { FailureReason, SupervisorDeps, SupervisorEvents, SupervisorSettings, SupervisorSpec, SupervisorState, SupervisorStatus } from "./types.ts";

export const DEFAULT_SUPERVISOR_SETTINGS: SupervisorSettings = {
  startupTimeoutMs: 180_000,
  startupPollMs: 250,
  healthIntervalMs: 10_000,
  healthTimeoutMs: 5_000,
  hangThreshold: 3,
  stopTimeoutMs: 15_000,
  backoff: DEFAULT_BACKOFF,
  crashLoop: DEFAULT_CRASH_LOOP,
  stableAfterMs: 5 * 60_000,
  watchdog: process.platform !== "win32",
  tailLines: 20,
};

interface Failure {
  reason: FailureReason;
  exit: NodeExit | undefined;
  pid: number | undefined;
}

export class Supervisor extends TypedEmitter<SupervisorEvents> {
  readonly settings: SupervisorSettings;
  readonly logFile: LineSink;
  private readonly tail = new OutputTail();
  private readonly policy: RestartPolicy;
  private readonly stopController = new AbortController();
  private node: NodeProcess | undefined;
  private state: SupervisorState = "idle";
  private hostKey: string | undefined;
  private port: number | undefined;
  private restarts = 0;
  private readySince: number | undefined;
  private lastExit: SupervisorStatus["lastExit"];
  private unhealthyReason: string | undefined;
  private loop: Promise<void> | undefined;
  private firstStart: Promise<void> | undefined;

  constructor(
    private spec: SupervisorSpec,
    private readonly deps: SupervisorDeps,
    settings: Partial<SupervisorSettings> = {},
  ) {
    super();
    this.settings = { ...DEFAULT_SUPERVISOR_SETTINGS, ...settings };
    this.logFile = createNodeLog(deps.logsDir, spec.config.logging);
    this.policy = new RestartPolicy(this.settings.backoff, this.settings.crashLoop, this.settings.stableAfterMs, deps.random);
  }

  /** Starts the node and resolves once it is ready; throws (with the node's last lines) if it cannot get there. */
  async start(): Promise<SupervisorStatus> {
    if (this.state !== "idle") throw new Error(`supervisor already ${this.state}`);
    try {
      this.firstStart = this.launch();
      await this.firstStart;
    } catch (error) {
      this.state = "stopped";
      await this.logFile.close();
      throw error;
    }
    this.loop = this.supervise();
    return this.status();
  }

  /** Settings for the next (re)start; the running node keeps what it started with. */
  reconfigure(spec: SupervisorSpec): void {
    this.spec = spec;
  }

  status(): SupervisorStatus {
    return {
      state: this.state,
      pid: this.node?.alive ? this.node.pid : undefined,
      pgid: this.node?.alive ? this.node.pgid : undefined,
      port: this.port,
      restarts: this.restarts,
      readySince: this.readySince,
      lastExit: this.lastExit,
      unhealthyReason: this.unhealthyReason,
    };
  }

  lastLines(count = this.settings.tailLines): string[] {
    return this.tail.last(count);
  }

  /** SIGINT to the node's group, SIGKILL after `stopTimeoutMs`; no member of the group survives. */
  async stop(graceMs = this.settings.stopTimeoutMs): Promise<void> {
    if (this.state === "stopped") return;
    this.state = "stopping";
    this.stopController.abort();
    const node = this.node;
    if (node) {
      const how = await node.stop(graceMs);
      if (how === "killed") this.deps.logger.warn("The node ignored SIGINT and was killed", { pid: node.pid, graceMs });
      if (node.exit) this.emit("exit", { pid: node.pid, code: node.exit.code, signal: node.exit.signal, expected: true, lastLines: this.lastLines() });
    }
    await this.firstStart?.catch(() => {});
    await this.loop?.catch(() => {});
    // A restart may have been spawning while we stopped: whatever node is current now must go too.
    if (this.node && this.node !== node) await this.node.stop(graceMs);
    this.node = undefined;
    this.state = "stopped";
    this.logFile.writeLine(`--- fabstir-host: node stopped at ${new Date(this.deps.clock.now()).toISOString()} ---`);
    await this.logFile.close();
  }

  /** One node run: spawn, then wait for readiness. On failure the node is stopped before the error propagates. */
  private async launch(): Promise<void> {
    this.state = "starting";
    const { spec, deps, settings } = this;
    const started = deps.clock.now();
    const configuredPort = spec.config.node.internalPort;
    if (configuredPort && !(await isPortFree(configuredPort))) {
      throw new HostError(SupervisorErrors.NODE_PORT_IN_USE, `Port ${configuredPort} (node.internalPort) is already in use.`, {
        details: { port: configuredPort },
      });
    }
    const env = { ...inheritedEnv(deps.baseEnv), ...buildNodeEnv(spec.config, spec.network, { modelPath: spec.modelPath, hostKey: await this.key() }) };
    this.tail.clear();
    this.logFile.writeLine(`--- fabstir-host: starting the node (${spec.binaryPath}) at ${new Date(started).toISOString()} ---`);
    const node = await NodeProcess.spawn({
      spawn: deps.spawn,
      binaryPath: spec.binaryPath,
      args: spec.args ?? [],
      env,
      log: this.logFile,
      tail: this.tail,
      watchdog: settings.watchdog,
      watchdogGraceMs: settings.stopTimeoutMs,
      watchdogBeforeStop: spec.orphanSalvage,
    });
    this.node = node;
    deps.logger.info("Node started", { pid: node.pid, watchdogPid: node.watchdogPid, binary: spec.binaryPath });
    try {
      this.port = await waitForReady(node, {
        fetch: deps.fetch,
        port: configuredPort,
        timeoutMs: settings.startupTimeoutMs,
        pollMs: settings.startupPollMs,
        healthTimeoutMs: settings.healthTimeoutMs,
        tail: this.tail,
        tailLines: settings.tailLines,
        logFile: this.logFile.path,
        signal: this.stopController.signal,
      });
    } catch (error) {
      // Cancelled by stop() or failed: either way this node must not outlive the attempt.
      await node.stop(error instanceof StartCancelled ? settings.stopTimeoutMs : Math.min(settings.stopTimeoutMs, 5_000));
      throw error;
    }
    this.state = "running";
    this.readySince = deps.clock.now();
    this.unhealthyReason = undefined;
    const startupMs = this.readySince - started;
    deps.logger.info("Node ready", { pid: node.pid, port: this.port, startupMs, restarts: this.restarts });
    this.emit("ready", { pid: node.pid, port: this.port, startupMs, restarts: this.restarts });
  }

  private async key(): Promise<string | undefined> {
    if (this.spec.config.node.signer !== "node") return undefined;
    if (this.hostKey) return this.hostKey;
    if (!this.spec.unlockHostKey) {
      throw new HostError(SupervisorErrors.NODE_KEY_UNAVAILABLE, 'node.signer is "node" but no host key was provided to the supervisor.', {
        hint: "Try: fabstir-host config set node.signer cli, or unlock the wallet when starting",
      });
    }
    const key = (await this.spec.unlockHostKey()).trim();
    registerSecret(key);
    this.hostKey = key;
    return key;
  }

  /** Watches the running node; on a crash or hang decides between a delayed restart and giving up. */
  private async supervise(): Promise<void> {
    const stopped = this.stopController.signal;
    let failure: Failure | undefined = await this.watch();
    while (failure && !stopped.aborted) {
      const lines = this.lastLines();
      const exit = failure.exit;
      if (exit) this.lastExit = { ...exit, at: this.deps.clock.now() };
      if (failure.pid !== undefined)
        this.emit("exit", { pid: failure.pid, code: exit?.code ?? null, signal: exit?.signal ?? null, expected: false, lastLines: lines });
      const decision = this.policy.onFailure(this.deps.clock.now(), this.readySince);
      this.node = undefined;
      this.readySince = undefined;
      if (decision.action === "give-up") {
        this.giveUp(decision.failures, failure, lines);
        return;
      }
      this.state = "restarting";
      this.restarts += 1;
      this.deps.logger.warn(`Node ${describeFailure(failure)}; restarting in ${decision.delayMs} ms (attempt ${decision.attempt})`, {
        reason: failure.reason,
        code: exit?.code ?? null,
        signal: exit?.signal ?? null,
        attempt: decision.attempt,
        delayMs: decision.delayMs,
        lastLines: lines,
      });
      this.emit("restart", {
        attempt: decision.attempt,
        delayMs: decision.delayMs,
        reason: failure.reason,
        code: exit?.code ?? null,
        signal: exit?.signal ?? null,
        lastLines: lines,
      });
      try {
        await this.deps.clock.sleep(decision.delayMs, stopped);
        await this.launch();
        failure = await this.watch();
      } catch (error) {
        if (stopped.aborted) return;
        const node = this.node as NodeProcess | undefined;
        failure = { reason: "start-failed", exit: node?.exit, pid: node?.pid };
        this.deps.logger.warn("Node restart failed", { error: (error as Error).message });
      }
    }
  }

  private giveUp(failures: number, last: Failure, lines: string[]): void {
    const windowMs = this.settings.crashLoop.windowMs;
    const reason = `The node failed ${failures} times within ${Math.round(windowMs / 60_000)} min (last: ${describeFailure(last)}); not restarting it again.`;
    this.state = "failed";
    this.unhealthyReason = reason;
    this.deps.logger.error(reason, { code: SupervisorErrors.NODE_CRASH_LOOP.code, lastLines: lines });
    this.emit("crash-loop", { failures, windowMs, reason, lastLines: lines });
    this.emit("unhealthy", { reason, consecutiveFailures: failures });
  }

  /** Resolves with the failure that ended this run, or undefined when it ended because of `stop()`. */
  private async watch(): Promise<Failure | undefined> {
    const node = this.node;
    if (!node) return undefined;
    const stopped = this.stopController.signal;
    const exited = node.exited.then((exit) => ({ reason: "crash" as const, exit, pid: node.pid }));
    let consecutive = 0;
    while (!stopped.aborted) {
      const tick = await Promise.race([
        exited,
        this.deps.clock.sleep(this.settings.healthIntervalMs, stopped).then(
          () => "tick" as const,
          () => "stop" as const,
        ),
      ]);
      if (tick === "stop" || stopped.aborted) return undefined;
      if (tick !== "tick") return tick;
      const began = Date.now();
      const result = await probeHealth(this.deps.fetch, `http://127.0.0.1:${this.port}`, this.settings.healthTimeoutMs);
      if (stopped.aborted) return undefined;
      if (!node.alive) return exited;
      consecutive = isFailedCheck(result) ? consecutive + 1 : 0;
      this.emit("health", { status: result.status, p2pOnly: result.p2pOnly, latencyMs: Date.now() - began, consecutiveFailures: consecutive });
      if (consecutive === 0) continue;
      this.deps.logger.warn("Node health check failed", { status: result.status, error: result.error, consecutive });
      if (consecutive >= this.settings.hangThreshold) {
        const reason = `The node did not answer /health ${consecutive} times in a row (${result.error ?? result.status}).`;
        this.emit("unhealthy", { reason, consecutiveFailures: consecutive });
        // A hung node may ignore SIGINT as well: short grace, then SIGKILL.
        await node.stop(Math.min(this.settings.stopTimeoutMs, 5_000));
        return { reason: "hang", exit: node.exit, pid: node.pid };
      }
    }
    return undefined;
  }
}

function describeFailure(failure: Failure): string {
  const exit = failure.exit;
  const how = exit ? (exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`) : "no exit status";
  if (failure.reason === "hang") return `hung and was stopped (${how})`;
  if (failure.reason === "start-failed") return `failed to start again (${how})`;
  return `crashed (${how})`;
}
