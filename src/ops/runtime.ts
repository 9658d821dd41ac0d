/**
 * Everything operations needs while the host runs, made in one call by `start`: a logger per component, the metrics
 * registry, the readiness state, the daily summary, the alert rules, the /healthz /readyz /metrics endpoint, and
 * `emit` to report events into all of them.
 */
import type { Writable } from "node:stream";
import type { Paths } from "../config/paths.ts";
import type { FetchFn } from "../context.ts";
import type { Logger } from "./logging/logger-types.ts";
import type { OpsConfig } from "./ops-config.ts";
import { createComponentLogger, type LogComponent } from "./logging/component-logger.ts";
import { createHostMetrics, type HostMetrics } from "./metrics/host-metrics.ts";
import { HealthState } from "./http/health-state.ts";
import { startOpsServer, type OpsServer } from "./http/ops-server.ts";
import { DailySummary } from "./summary/daily-summary.ts";
import { AlertSender } from "./alerts/alert-sender.ts";
import { AlertRules } from "./alerts/alert-rules.ts";
import { createOpsEvents, type OpsEvent } from "./events.ts";

export interface OpsRuntimeOptions {
  paths: Paths;
  config: OpsConfig;
  build: { version: string; commit: string };
  now: () => number;
  fetch: FetchFn;
  /** Foreground host: a readable copy of every log line here. */
  console?: { stream: Writable; color: boolean };
  stderr?: Writable;
}

export interface OpsRuntime {
  logger(component: LogComponent): Logger;
  metrics: HostMetrics;
  health: HealthState;
  summary: DailySummary;
  alerts: AlertRules;
  emit(event: OpsEvent): void;
  /**
   * A reloaded configuration (SIGHUP): the log level, the alert webhook and thresholds apply at once; the endpoint's
   * address (metrics.*) at the next restart. Returns the names of the settings that wait for a restart.
   */
  reload(config: OpsConfig): string[];
  /** Starts the endpoint (when metrics.enabled) and the summary's timer. Returns the endpoint URL, if any. */
  start(): Promise<string | undefined>;
  stop(): Promise<void>;
}

export function createOpsRuntime(options: OpsRuntimeOptions): OpsRuntime {
  const loggers = new Map<string, Logger>();
  // One level for every component's logger, so a reload changes them all.
  const level = { current: options.config.logging.level };
  let alertSettings = options.config.alerts;
  const logger = (component: LogComponent): Logger => {
    let existing = loggers.get(component);
    if (!existing) {
      existing = createComponentLogger(options.paths, component, options.config.logging, {
        now: options.now,
        console: options.console,
        stderr: options.stderr,
        level,
      });
      loggers.set(component, existing);
    }
    return existing;
  };
  const metrics = createHostMetrics({ build: options.build, now: options.now });
  const health = new HealthState({ now: options.now });
  const opsLogger = logger("supervisor");
  const summary = new DailySummary({ stateDir: options.paths.stateDir, now: options.now, logger: opsLogger });
  const sender = new AlertSender({
    config: options.config.alerts,
    origin: {
      host: options.config.wallet?.address ?? null,
      publicUrl: options.config.publicUrl,
      network: options.config.network,
      version: options.build.version,
    },
    fetch: options.fetch,
    now: options.now,
    logger: opsLogger,
    metrics,
  });
  const alerts = new AlertRules({ send: (alert) => sender.send(alert), now: options.now, minEthProofs: options.config.alerts.minEthProofs });
  const emit = createOpsEvents({ metrics, summary, alerts, health });
  let server: OpsServer | undefined;

  return {
    logger,
    metrics,
    health,
    summary,
    alerts,
    emit,
    reload(next) {
      if (next.logging.level !== level.current) {
        opsLogger.info("log level changed", { from: level.current, to: next.logging.level });
        level.current = next.logging.level;
      }
      if (JSON.stringify(next.alerts) !== JSON.stringify(alertSettings)) {
        alertSettings = next.alerts;
        sender.reconfigure(next.alerts);
        alerts.setMinEthProofs(next.alerts.minEthProofs);
        opsLogger.info("alert settings changed", {
          webhook: next.alerts.webhookUrl ? "set" : "none",
          format: next.alerts.format,
          minEthProofs: next.alerts.minEthProofs,
        });
      }
      // The endpoint and the log files keep what they started with until the restart.
      const started = options.config;
      const restartNeeded: string[] = [];
      if (JSON.stringify(next.metrics) !== JSON.stringify(started.metrics)) restartNeeded.push("metrics");
      if (next.logging.maxSizeMb !== started.logging.maxSizeMb || next.logging.maxFiles !== started.logging.maxFiles) restartNeeded.push("logging (rotation)");
      return restartNeeded;
    },
    async start() {
      summary.start();
      if (!options.config.metrics.enabled) return undefined;
      server = startOpsServer({ listen: options.config.metrics.listen, metrics, health });
      opsLogger.info("operations endpoint listening", { url: server.url });
      return server.url;
    },
    async stop() {
      await server?.stop();
      server = undefined;
      summary.stop();
      await alerts.settle();
      for (const each of loggers.values()) await each.close();
      loggers.clear();
    },
  };
}
