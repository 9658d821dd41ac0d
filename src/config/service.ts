/** What the `config` commands do, without any command-line knowledge. */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import type { HostContext } from "../context.ts";
import { SETTINGS, SETTINGS_BY_KEY, validateSetting, type Setting, type Source } from "./settings.ts";
import { getPath } from "./object-path.ts";
import { loadConfig, readConfigFile, resolveConfig, updateConfig, writeConfig, writeRawConfig, type ConfigProblem } from "./store.ts";
import { backupConfig, listBackups, type BackupEntry } from "./backups.ts";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { findJsonError } from "./json-position.ts";
import { checksummed, isLoopbackHost, newValueProblem } from "./rules.ts";
import { looksLikeSecret, maskEnvCredentials, maskUrl, redactStrict } from "../util/redact.ts";
import { parseListen } from "../ops/http/listen-address.ts";

export function settingFor(key: string): Setting {
  const setting = SETTINGS_BY_KEY.get(key);
  if (setting) return setting;
  const near = SETTINGS.map((s) => s.key).filter((k) => k.toLowerCase().includes(key.toLowerCase().split(".").pop() ?? ""));
  throw new HostError(CoreErrors.CONFIG_UNKNOWN_KEY, `Unknown config key \`${key}\`.`, {
    hint: near.length
      ? `Did you mean ${near
          .slice(0, 3)
          .map((k) => `\`${k}\``)
          .join(", ")}? See fabstir-host config list.`
      : undefined,
  });
}

export interface ConfigEntry {
  key: string;
  value: unknown;
  source: Source;
  env: string;
  description: string;
}

export async function getSetting(context: HostContext, key: string): Promise<ConfigEntry> {
  const setting = settingFor(key);
  const loaded = await loadConfig(context, { strict: false });
  return entry(setting, loaded.config, loaded.sources);
}

export async function listSettings(context: HostContext): Promise<ConfigEntry[]> {
  const loaded = await loadConfig(context, { strict: false });
  return SETTINGS.map((setting) => entry(setting, loaded.config, loaded.sources));
}

/**
 * Webhook URLs carry their token in the path (Slack, Discord, Telegram) and RPC URLs their API key (Alchemy, Infura,
 * QuickNode): show only where they point. Every other value is strictly redacted: no setting holds a 32-byte hex.
 */
export function displayValue(key: string, value: unknown): unknown {
  if (key === "node.extraEnv") return strictly(maskEnvCredentials(value));
  if (URL_KEYS.has(key)) {
    if (typeof value === "string") return maskUrl(value);
    if (Array.isArray(value)) return value.map((item) => (typeof item === "string" ? maskUrl(item) : item));
  }
  return strictly(value);
}
const URL_KEYS = new Set(["alerts.webhookUrl", "rpcUrls"]);

function strictly(value: unknown): unknown {
  if (typeof value === "string") return redactStrict(value);
  if (Array.isArray(value)) return value.map(strictly);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactStrict(k), strictly(v)]));
  return value;
}

function entry(setting: Setting, config: unknown, sources: Record<string, Source>): ConfigEntry {
  return {
    key: setting.key,
    value: displayValue(setting.key, getPath(config, setting.key) ?? null),
    source: sources[setting.key] ?? "default",
    env: setting.env,
    description: setting.description,
  };
}

export interface SetResult {
  key: string;
  value: unknown;
  /** Set when an environment variable overrides what was just written. */
  shadowedBy?: string;
}

export async function setSetting(context: HostContext, key: string, text: string, options: { yes?: boolean } = {}): Promise<SetResult> {
  const setting = settingFor(key);
  // Refused before anything else reads it, and never repeated: a key pasted in the wrong place.
  if (looksLikeSecret(text)) {
    throw new HostError(CoreErrors.CONFIG_SECRET_VALUE, `${key}: the value looks like a private key or recovery phrase; it was not written and is not shown.`);
  }
  const value = setting.parse(text);
  const fresh = newValueProblem(key, value);
  const problem = validateSetting(setting, value) ?? (fresh && `${key}: ${JSON.stringify(value)} is not valid (${fresh}); expected ${setting.form}`);
  if (problem) throw new HostError(CoreErrors.CONFIG_INVALID, `${problem}.`, { hint: hintFor(setting, value) });
  const exposure = exposureOf(key, value);
  if (exposure && !options.yes) throw new HostError(CoreErrors.CONFIG_EXPOSES, `${key} ${JSON.stringify(value)} ${exposure}.`);
  await updateConfig(
    context,
    (config) => {
      const parts = key.split(".");
      let target = config as unknown as Record<string, unknown>;
      for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
      target[parts[parts.length - 1]!] = value;
    },
    { reason: "set" },
  );
  const shadowedBy = context.env[setting.env] ? setting.env : undefined;
  return { key, value, shadowedBy };
}

function hintFor(setting: Setting, value: unknown): string {
  const texts = typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  if (texts.some((text) => /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(text))) {
    return "Try: leave user:pass@ out of the URL; credentials belong in a secret file (an environment file of mode 600 that sets FABSTIR_RPC_URLS for the service), see docs/SECURITY.md.";
  }
  const fixed = typeof value === "string" ? checksummed(value) : undefined;
  if (fixed && fixed !== value && !/^0x0{40}$/.test(value as string)) return `Try: fabstir-host config set ${setting.key} ${fixed} (the checksummed form)`;
  return `Try: fabstir-host config set ${setting.key} <${setting.form}>`;
}

/** What a value would publish beyond this machine, in words; undefined when it stays local. */
function exposureOf(key: string, value: unknown): string | undefined {
  if (key !== "metrics.listen" || typeof value !== "string") return undefined;
  let host: string;
  try {
    host = parseListen(value).hostname;
  } catch {
    return undefined;
  }
  if (isLoopbackHost(host)) return undefined;
  return "serves /metrics (the wallet's balances, earnings, session and proof counts) and /healthz beyond this machine, without authentication";
}

export async function resetConfig(context: HostContext, options: { keepWallet: boolean }): Promise<{ backup?: string }> {
  const file = readConfigFile(context.paths);
  const wallet = options.keepWallet && file ? (file.raw.wallet ?? null) : null;
  const defaults = resolveConfig({}, {}, {}).config;
  defaults.wallet = wallet as typeof defaults.wallet;
  const backup = backupConfig(context.paths, "before-reset");
  writeConfig(context.paths, defaults, "reset");
  return { backup };
}

export function makeBackup(context: HostContext): { path: string } {
  const path = backupConfig(context.paths, "manual");
  if (!path) throw new HostError(CoreErrors.NOT_INITIALIZED, `There is no config file to back up in ${context.paths.home}.`);
  return { path };
}

export function backups(context: HostContext): BackupEntry[] {
  return listBackups(context.paths);
}

export function restoreBackup(context: HostContext, name: string): { restored: string; previousBackup?: string } {
  const candidates = listBackups(context.paths);
  const match = candidates.find((b) => b.name === name || b.path === name || b.name === basename(name));
  if (!match) throw new HostError(CoreErrors.CONFIG_BACKUP_MISSING, `No config backup named \`${name}\`.`);
  const text = readFileSync(match.path, "utf8");
  const where = findJsonError(text);
  if (where) throw new HostError(CoreErrors.CONFIG_PARSE, `Backup ${match.name} is not valid JSON at line ${where.line}, column ${where.column}.`);
  // Back up whatever is there now (even a broken file), so a restore can itself be undone.
  const previousBackup = existsSync(context.paths.configFile) ? backupConfig(context.paths, "before-restore") : undefined;
  writeRawConfig(context.paths, JSON.parse(text));
  return { restored: match.name, previousBackup };
}

export interface ValidationReport {
  valid: boolean;
  file: string;
  fileExists: boolean;
  problems: ConfigProblem[];
  warnings: string[];
}

export async function validateConfig(context: HostContext): Promise<ValidationReport> {
  const loaded = await loadConfig(context, { strict: false });
  const warnings = loaded.unknownKeys.map((key) => `unknown key \`${key}\` in the config file is ignored`);
  if (!loaded.fileExists) warnings.push("no config file yet: defaults apply (run fabstir-host init)");
  if (loaded.config.network === "local" && !loaded.config.deploymentFile)
    warnings.push("network local without deploymentFile: contract addresses must all be set");
  const exposure = exposureOf("metrics.listen", loaded.config.metrics?.listen);
  if (exposure) warnings.push(`metrics.listen ${loaded.config.metrics.listen} ${exposure}: keep it behind a firewall or an authenticating proxy`);
  return { valid: loaded.problems.length === 0, file: context.paths.configFile, fileExists: loaded.fileExists, problems: loaded.problems, warnings };
}
