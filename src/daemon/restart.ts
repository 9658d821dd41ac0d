/**
 * `restart`: stop whatever host runs for this config directory (or clean up after a dead one), then start a daemon
 * with the configuration as it is now. The configuration is checked before anything is stopped, so a typo in the
 * config does not turn a running host into a stopped one.
 */
import type { HostContext } from "../context.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import { planHost } from "./host-setup.ts";
import { startHost, type StartResult } from "./start.ts";
import { stopHost, type StopResult } from "./stop.ts";

export interface RestartOptions {
  stopTimeoutMs: number;
  passwordFile?: string;
  startupTimeoutMs?: number;
  logger: Logger;
}

export interface RestartResult {
  stopped: StopResult;
  started: StartResult;
}

export async function restartHost(context: HostContext, options: RestartOptions): Promise<RestartResult> {
  await planHost(context);
  const stopped = await stopHost(context.paths, { timeoutMs: options.stopTimeoutMs, logger: options.logger });
  const started = await startHost(context, { mode: "daemon", passwordFile: options.passwordFile, startupTimeoutMs: options.startupTimeoutMs });
  return { stopped, started };
}
