/**
 * The configuration sections the operations commands need (logging, metrics, alerts, and a few host facts for alert
 * texts). A context may carry a full HostConfig in `overrides.config` (tests, and the running host, which loaded it
 * already); otherwise these sections are read from config.json over their defaults. Commands that also need the rest
 * of the configuration use the config loader instead.
 */
import { existsSync, readFileSync } from "node:fs";
import type { HostContext } from "../context.ts";
import type { HostConfig } from "../config/types.ts";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";

export type OpsConfig = Pick<HostConfig, "logging" | "metrics" | "alerts" | "network" | "publicUrl" | "wallet">;

export const OPS_DEFAULTS: OpsConfig = {
  logging: { level: "info", maxSizeMb: 20, maxFiles: 10 },
  metrics: { enabled: true, listen: "127.0.0.1:9464" },
  alerts: { webhookUrl: null, format: "json", telegramChatId: null, minEthProofs: 20 },
  network: "base-sepolia",
  publicUrl: null,
  wallet: null,
};

function section<T extends object>(defaults: T, value: unknown): T {
  return value && typeof value === "object" && !Array.isArray(value) ? { ...defaults, ...(value as Partial<T>) } : defaults;
}

export function opsConfigFor(context: HostContext): OpsConfig {
  const given = context.overrides.config as Partial<HostConfig> | undefined;
  let raw: Record<string, unknown> = given ? (given as Record<string, unknown>) : {};
  if (!given && existsSync(context.paths.configFile)) {
    try {
      raw = JSON.parse(readFileSync(context.paths.configFile, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new HostError(CoreErrors.CONFIG_PARSE, `${context.paths.configFile} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  return {
    logging: section(OPS_DEFAULTS.logging, raw.logging),
    metrics: section(OPS_DEFAULTS.metrics, raw.metrics),
    alerts: section(OPS_DEFAULTS.alerts, raw.alerts),
    network: (raw.network as HostConfig["network"]) ?? OPS_DEFAULTS.network,
    publicUrl: typeof raw.publicUrl === "string" ? raw.publicUrl : null,
    wallet: (raw.wallet as HostConfig["wallet"]) ?? null,
  };
}
