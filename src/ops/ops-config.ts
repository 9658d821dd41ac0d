/**
 * The configuration sections the operations commands need (logging, metrics, alerts, and a few host facts for alert
 * texts). A context may carry a loaded HostConfig in `services.loadedConfig` (the running host, which loaded it already);
 * otherwise the configuration is loaded the usual way (defaults < file < environment).
 */
import type { HostContext } from "../context.ts";
import type { HostConfig } from "../config/types.ts";
import { loadConfig } from "../config/store.ts";

export type OpsConfig = Pick<HostConfig, "logging" | "metrics" | "alerts" | "network" | "publicUrl" | "wallet">;

export async function opsConfigFor(context: HostContext): Promise<OpsConfig> {
  const config = context.services.loadedConfig ?? (await loadConfig(context)).config;
  return {
    logging: config.logging,
    metrics: config.metrics,
    alerts: config.alerts,
    network: config.network,
    publicUrl: config.publicUrl,
    wallet: config.wallet,
  };
}
