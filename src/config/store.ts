/**
 * Loading and saving the configuration. Layers: defaults < file < env (FABSTIR_*) < flags. Every value is validated
 * against the schema in settings.ts; all problems are reported at once. Writes are atomic (0600 in a 0700 directory),
 * a broken file is never overwritten silently, and older versions are migrated after a backup.
 */
import { existsSync, readFileSync, mkdirSync, chmodSync, statSync } from "node:fs";
import type { HostContext } from "../context.ts";
import type { HostConfig } from "./types.ts";
import type { Paths } from "./paths.ts";
import { CONFIG_VERSION, SETTINGS, SETTINGS_BY_KEY, validateSetting, type Source } from "./settings.ts";
import { getPath, leafPaths, setPath } from "./object-path.ts";
import { findJsonError } from "./json-position.ts";
import { migrate } from "./migrations.ts";
import { backupConfig } from "./backups.ts";
import { atomicWriteFileSync } from "../util/atomic-write.ts";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { diskWriteError } from "./disk-errors.ts";
import { registerUrlSecrets } from "../util/redact.ts";

export interface ConfigProblem {
  key: string;
  source: Source;
  message: string;
}

export interface LoadedConfig {
  config: HostConfig;
  sources: Record<string, Source>;
  fileExists: boolean;
  problems: ConfigProblem[];
  /** Keys in the file the schema does not know (typos), reported by `config validate`. */
  unknownKeys: string[];
  migratedFrom?: number;
}

export interface LoadOptions {
  /** Values from command-line flags, by setting key. */
  flags?: Record<string, unknown>;
  /** Throw CONFIG_INVALID when a value is invalid (default true); `config validate` passes false to list them all. */
  strict?: boolean;
  /** Throw NOT_INITIALIZED when there is no config file (default false: defaults are a valid config). */
  requireFile?: boolean;
}

type Raw = Record<string, unknown>;

/** Reads and parses config.json, migrating it when it is older. Returns undefined when there is none. */
export function readConfigFile(paths: Paths, now = new Date()): { raw: Raw; migratedFrom?: number } | undefined {
  if (!existsSync(paths.configFile)) return undefined;
  let text: string;
  try {
    text = readFileSync(paths.configFile, "utf8");
  } catch (error) {
    throw new HostError(CoreErrors.FILE_PERMISSIONS, `Cannot read ${paths.configFile}: ${(error as Error).message}`, {
      hint: `Try: check the file's owner and mode (chmod 600 ${paths.configFile}).`,
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const where = findJsonError(text);
    const position = where ? ` at line ${where.line}, column ${where.column} (${where.message})` : "";
    throw new HostError(CoreErrors.CONFIG_PARSE, `${paths.configFile} is not valid JSON${position}.`, {
      hint: "Try: fix that line, or `fabstir-host config restore --list` to pick a backup.",
      cause: error,
      details: where ? { line: where.line, column: where.column } : undefined,
    });
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new HostError(CoreErrors.CONFIG_PARSE, `${paths.configFile} must hold a JSON object.`, {
      hint: "Try: `fabstir-host config restore --list` to pick a backup.",
    });
  }
  const version = (raw as Raw).version;
  if (typeof version === "number" && version > CONFIG_VERSION) {
    throw new HostError(CoreErrors.CONFIG_TOO_NEW, `${paths.configFile} has config version ${version}; this fabstir-host understands up to ${CONFIG_VERSION}.`);
  }
  const { migrated, from, changed } = migrate(raw as Raw);
  if (!changed) return { raw: migrated };
  backupConfig(paths, `before-migration-v${from}`, now);
  writeRaw(paths, migrated);
  return { raw: migrated, migratedFrom: from };
}

function writeRaw(paths: Paths, raw: Raw): void {
  try {
    mkdirSync(paths.home, { recursive: true, mode: 0o700 });
    if ((statSync(paths.home).mode & 0o077) !== 0) chmodSync(paths.home, 0o700);
  } catch {}
  try {
    atomicWriteFileSync(paths.configFile, JSON.stringify(raw, null, 2) + "\n", { mode: 0o600 });
  } catch (error) {
    throw diskWriteError(paths.configFile, error, "the previous config is unchanged");
  }
}

function envLayer(env: Record<string, string | undefined>): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const setting of SETTINGS) {
    const text = env[setting.env];
    if (text !== undefined && text !== "") values.set(setting.key, setting.parse(text));
  }
  return values;
}

/** Layers the sources and validates every value. */
export function resolveConfig(
  fileRaw: Raw | undefined,
  env: Record<string, string | undefined>,
  flags: Record<string, unknown> = {},
): Omit<LoadedConfig, "fileExists"> {
  const fromEnv = envLayer(env);
  const config: Raw = { version: CONFIG_VERSION };
  const sources: Record<string, Source> = {};
  const problems: ConfigProblem[] = [];
  // network first: other defaults (chain id, RPC) depend on it.
  const ordered = [...SETTINGS].sort((a, b) => (a.key === "network" ? -1 : b.key === "network" ? 1 : 0));
  for (const setting of ordered) {
    let value: unknown;
    let source: Source;
    if (flags[setting.key] !== undefined) [value, source] = [flags[setting.key], "flag"];
    else if (fromEnv.has(setting.key)) [value, source] = [fromEnv.get(setting.key), "env"];
    else if (fileRaw && getPath(fileRaw, setting.key) !== undefined) [value, source] = [getPath(fileRaw, setting.key), "file"];
    else [value, source] = [setting.defaultValue(config as Partial<HostConfig>), "default"];
    if (value === undefined) continue; // optional overrides (contract addresses) with no value
    const problem = validateSetting(setting, value);
    if (problem) problems.push({ key: setting.key, source, message: `${problem} (from ${source === "env" ? setting.env : source})` });
    setPath(config, setting.key, value);
    sources[setting.key] = source;
  }
  if (!config.contracts) config.contracts = {};
  const unknownKeys = fileRaw ? leafPaths(fileRaw, (path) => SETTINGS_BY_KEY.has(path)).filter((path) => path !== "version" && !SETTINGS_BY_KEY.has(path)) : [];
  return { config: config as unknown as HostConfig, sources, problems, unknownKeys };
}

export async function loadConfig(context: Pick<HostContext, "paths" | "env">, options: LoadOptions = {}): Promise<LoadedConfig> {
  const file = readConfigFile(context.paths);
  if (!file && options.requireFile) {
    throw new HostError(CoreErrors.NOT_INITIALIZED, `No configuration in ${context.paths.home}.`);
  }
  const resolved = resolveConfig(file?.raw, context.env, options.flags);
  // RPC providers and webhooks put their key in the URL: whatever prints an RPC error must not repeat it.
  for (const url of [...(Array.isArray(resolved.config.rpcUrls) ? resolved.config.rpcUrls : []), resolved.config.alerts?.webhookUrl]) {
    if (typeof url === "string") registerUrlSecrets(url);
  }
  if ((options.strict ?? true) && resolved.problems.length > 0) throw invalidConfigError(resolved.problems);
  return { ...resolved, fileExists: !!file, migratedFrom: file?.migratedFrom };
}

export function invalidConfigError(problems: ConfigProblem[]): HostError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
  return new HostError(CoreErrors.CONFIG_INVALID, `${first.message}${more}.`, { details: { problems } });
}

/**
 * Changes the config file: `mutate` receives the config as the file makes it (defaults + file, without env or flags,
 * so an environment override is never written to disk by accident). Only values that differ from the defaults, or
 * that the file already had, are written. The previous file is backed up first.
 */
export async function updateConfig(
  context: Pick<HostContext, "paths" | "env">,
  mutate: (config: HostConfig) => void,
  options: { reason?: string } = {},
): Promise<HostConfig> {
  const file = readConfigFile(context.paths);
  const base = resolveConfig(file?.raw, {}, {});
  const next = structuredClone(base.config);
  mutate(next);
  // Checked as it will be read back: JSON turns Infinity and NaN into null, which must fail here, before the write.
  const layer = JSON.parse(JSON.stringify(toFileLayer(next, file?.raw))) as Raw;
  const check = resolveConfig(layer, {}, {});
  if (check.problems.length > 0) throw invalidConfigError(check.problems);
  backupConfig(context.paths, options.reason ?? "update");
  writeRaw(context.paths, layer);
  return (await loadConfig(context)).config;
}

/** The raw object to write: values that differ from defaults, plus keys the file already had, plus unknown keys kept as they were. */
function toFileLayer(config: HostConfig, previous: Raw | undefined): Raw {
  const raw: Raw = previous ? structuredClone(previous) : {};
  raw.version = CONFIG_VERSION;
  const defaults = resolveConfig({ network: config.network }, {}, {}).config;
  for (const setting of SETTINGS) {
    const value = getPath(config, setting.key);
    const hadIt = previous !== undefined && getPath(previous, setting.key) !== undefined;
    const differs = JSON.stringify(value) !== JSON.stringify(getPath(defaults, setting.key));
    if (value === undefined) setPath(raw, setting.key, undefined);
    else if (differs || hadIt || setting.key === "network") setPath(raw, setting.key, value);
  }
  return raw;
}

/** Writes a complete config (init, reset, restore). */
export function writeConfig(paths: Paths, config: HostConfig, reason: string): void {
  backupConfig(paths, reason);
  writeRaw(paths, toFileLayer(config, undefined));
}

export { writeRaw as writeRawConfig };
