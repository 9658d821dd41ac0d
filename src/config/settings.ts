/**
 * The configuration schema, defined once: every setting's key, typanion validator, default, environment variable,
 * allowed form and meaning. The loader, `config get/set/list/validate`, and docs/CONFIGURATION.md all read this table.
 */
import * as t from "typanion";
import { NETWORK_DEFAULTS } from "./network-defaults.ts";
import { isBoundedNumber, isChecksummedAddress, isDecimalString, isModelRef, isPriceKey, isPublicUrl, isSafePath } from "./rules.ts";
import { looksLikeSecret, redactStrict } from "../util/redact.ts";

import { NODE_SETTINGS } from "./node-settings.ts";
import {
  boolean,
  constant,
  integer,
  isAddress,
  isHttpUrl,
  isWsOrHttpUrl,
  json,
  list,
  nullable,
  number,
  setting,
  text,
  textOrNull,
  type Setting,
} from "./setting-kit.ts";

export type { Setting, Source } from "./setting-kit.ts";

const contractNames = ["jobMarketplace", "nodeRegistry", "hostEarnings", "modelRegistry", "proofSystem", "fabToken", "usdcToken"] as const;

export const SETTINGS: Setting[] = [
  setting("network", {
    description: "Which Fabstir network this host serves",
    form: "one of base-sepolia, base-mainnet, local, custom",
    validator: t.isEnum(["base-sepolia", "base-mainnet", "local", "custom"]),
    defaultValue: constant("base-sepolia"),
    parse: text,
  }),
  setting("rpcUrls", {
    description: "JSON-RPC endpoints, primary first, then fallbacks",
    form: "a comma-separated list of http(s) URLs",
    validator: t.isArray(isHttpUrl),
    defaultValue: (c) => [...NETWORK_DEFAULTS[c.network ?? "base-sepolia"].rpcUrls],
    parse: list,
  }),
  setting("chainId", {
    description: "Chain id the RPC must report",
    form: "a positive integer (84532 Base Sepolia, 8453 Base, 31337 local)",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isPositive()]),
    defaultValue: (c) => NETWORK_DEFAULTS[c.network ?? "base-sepolia"].chainId,
    parse: integer,
  }),
  ...contractNames.map((name) =>
    setting(`contracts.${name}`, {
      description: `Address of the ${name} contract (overrides the network preset)`,
      form: "a 0x address, not the zero address (config set wants the checksummed form)",
      validator: isChecksummedAddress,
      defaultValue: constant(undefined),
      parse: text,
    }),
  ),
  setting("deploymentFile", {
    description: "Devnet deployment file read by the local network",
    form: "a file path without .., or null",
    validator: nullable(isSafePath),
    defaultValue: constant(null),
    parse: textOrNull,
  }),
  setting("wallet", {
    description: "The host key's address and the store that holds it (never the key itself)",
    form: 'JSON {"address":"0x…","backend":"keychain"|"keystore"}, or null',
    validator: nullable(t.isObject({ address: isAddress, backend: t.isEnum(["keychain", "keystore"]) })),
    defaultValue: constant(null),
    parse: json,
    env: "FABSTIR_WALLET",
  }),
  setting("publicUrl", {
    description: "Public API URL clients use to reach this host",
    form: "an http(s) URL without credentials or query, or null",
    validator: nullable(isPublicUrl),
    defaultValue: constant(null),
    parse: textOrNull,
  }),
  setting("models", {
    description: "Models this host serves, as repo:file",
    form: "a comma-separated list of repo:file (e.g. CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf)",
    validator: t.isArray(isModelRef),
    defaultValue: constant([]),
    parse: list,
  }),
  setting("prices", {
    description: 'Prices in contract units per model (repo:file, or "*" for all) and token',
    form: 'JSON {"<repo:file>|*": {"eth": "<integer>", "usdc": "<integer>"}}',
    validator: t.isRecord(t.isObject({ eth: t.isOptional(isDecimalString), usdc: t.isOptional(isDecimalString) }), { keys: isPriceKey }),
    defaultValue: constant({}),
    parse: json,
  }),
  setting("host.location", {
    description: "Location published in the metadata",
    form: "text, or null",
    validator: nullable(t.isString()),
    defaultValue: constant(null),
    parse: textOrNull,
  }),
  setting("host.maxConcurrent", {
    description: "Most sessions served at once (published in the metadata)",
    form: "an integer from 1 to 1000",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 1000)]),
    defaultValue: constant(8),
    parse: integer,
  }),
  ...NODE_SETTINGS,
  setting("tx.confirmations", {
    description: "Confirmations to wait for after a transaction is mined",
    form: "an integer from 1 to 64",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 64)]),
    defaultValue: constant(1),
    parse: integer,
  }),
  setting("tx.maxFeeGwei", {
    description: "Highest fee per gas the host will pay, in gwei",
    form: "a number of gwei from 0.000000001 to 100000",
    validator: isBoundedNumber(0.000000001, 100000, 9),
    defaultValue: constant(5),
    parse: number,
  }),
  setting("tx.gasMarginPercent", {
    description: "Margin added to gas estimates",
    form: "an integer from 0 to 200",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(0, 200)]),
    defaultValue: constant(20),
    parse: integer,
  }),
  setting("tx.pendingTimeoutSeconds", {
    description: "Seconds before a pending transaction is replaced with a higher fee",
    form: "an integer from 5 to 3600",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(5, 3600)]),
    defaultValue: constant(60),
    parse: integer,
  }),
  setting("proofs.graceSeconds", {
    description:
      "How long the CLI lets the node submit a due proof before doing it itself (at most half the dispute window); after a restart, how long a session's client has to resume it",
    form: "an integer from 0 to 3600",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(0, 3600)]),
    defaultValue: constant(30),
    parse: integer,
  }),
  setting("proofs.minValueToGas", {
    description:
      "Where the CLI proves: prove once the unproven tokens are worth this many times the proof's gas cost (ETH sessions; 0 = every interval, the default, which risks the fewest unproven tokens)",
    form: "a number from 0 to 1000",
    validator: t.cascade(t.isNumber(), [t.isInInclusiveRange(0, 1000)]),
    defaultValue: constant(0),
    parse: number,
  }),
  setting("proofs.maxUnprovenIntervals", {
    description: "With gas-aware proving, never leave more than this many proof intervals unproven",
    form: "an integer from 1 to 1000",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 1000)]),
    defaultValue: constant(10),
    parse: integer,
  }),
  setting("front.maxFrameBytes", {
    description: "Largest WebSocket frame or HTTP body a client may send to the public port, in bytes (the SDK sends images up to about 27 MB)",
    form: "an integer from 1048576 to 268435456",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1_048_576, 268_435_456)]),
    defaultValue: constant(33_554_432),
    parse: integer,
  }),
  setting("economics.minJobValue", {
    description:
      "Smallest value of one checkpoint of an ETH job, in wei, that the host serves; null only warns when a checkpoint earns less than its proof's gas",
    form: "a decimal number of wei, or null",
    validator: nullable(isDecimalString),
    defaultValue: constant(null),
    parse: textOrNull,
  }),
  setting("logging.level", {
    description: "Log level",
    form: "one of error, warn, info, debug",
    validator: t.isEnum(["error", "warn", "info", "debug"]),
    defaultValue: constant("info"),
    parse: text,
  }),
  setting("logging.maxSizeMb", {
    description: "Size at which a log file rotates, in MB",
    form: "an integer from 1 to 10240",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 10240)]),
    defaultValue: constant(50),
    parse: integer,
  }),
  setting("logging.maxFiles", {
    description: "Rotated log files kept per component",
    form: "an integer from 1 to 365",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 365)]),
    defaultValue: constant(14),
    parse: integer,
  }),
  setting("metrics.enabled", {
    description: "Serve /healthz, /readyz and /metrics while running",
    form: "true or false",
    validator: t.isBoolean(),
    defaultValue: constant(true),
    parse: boolean,
  }),
  setting("metrics.listen", {
    description: "Address of the metrics and health endpoint",
    form: "host:port, e.g. 127.0.0.1:9464",
    validator: t.cascade(t.isString(), [t.matchesRegExp(/^[\w.:[\]-]+:\d{1,5}$/)]),
    defaultValue: constant("127.0.0.1:9464"),
    parse: text,
  }),
  setting("alerts.webhookUrl", {
    description: "Webhook that receives alerts",
    form: "an http(s) URL, or null",
    validator: nullable(isWsOrHttpUrl),
    defaultValue: constant(null),
    parse: textOrNull,
  }),
  setting("alerts.format", {
    description: "Alert payload format",
    form: "one of json, slack, discord, telegram",
    validator: t.isEnum(["json", "slack", "discord", "telegram"]),
    defaultValue: constant("json"),
    parse: text,
  }),
  setting("alerts.telegramChatId", {
    description: "Telegram chat id (telegram format only)",
    form: "text, or null",
    validator: nullable(t.isString()),
    defaultValue: constant(null),
    parse: textOrNull,
  }),
  setting("alerts.minEthProofs", {
    description: "Alert when the ETH balance covers fewer proofs than this",
    form: "an integer from 1 to 100000",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 100000)]),
    defaultValue: constant(50),
    parse: integer,
  }),
  setting("modelHost.baseUrl", {
    description: "Where model files are downloaded from",
    form: "an http(s) URL",
    validator: isHttpUrl,
    defaultValue: constant("https://huggingface.co"),
    parse: text,
  }),
  setting("economics.ethUsd", {
    description: "USD per ETH, to compare USDC earnings with gas (never fetched)",
    form: "a positive number (at least 0.01), or null",
    validator: nullable(t.cascade(t.isNumber(), [t.isAtLeast(0.01)])),
    defaultValue: constant(null),
    parse: (v) => (v === "" || v === "null" ? null : number(v)),
  }),
  setting("updates.check", {
    description: "Check daily for a newer fabstir-host",
    form: "true or false",
    validator: t.isBoolean(),
    defaultValue: constant(true),
    parse: boolean,
  }),
];

export const CONFIG_VERSION = 1;
export const SETTINGS_BY_KEY = new Map(SETTINGS.map((s) => [s.key, s]));

export function validateSetting(setting: Setting, value: unknown): string | undefined {
  // A key or recovery phrase pasted into a setting is refused without repeating it (it belongs in `wallet import`).
  if (stringsIn(value).some(looksLikeSecret))
    return `${setting.key}: the value looks like a private key or recovery phrase and is not shown; expected ${setting.form}`;
  const errors: string[] = [];
  if (setting.validator(value, { errors })) return undefined;
  const reason = errors.length ? ` (${errors[0]!.replace(/^\.: /, "").replace(/^\.(\S*): /, "$1: ")})` : "";
  return `${setting.key}: ${redactStrict(JSON.stringify(value) ?? "undefined")} is not valid${reason}; expected ${setting.form}`;
}

function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => [key, ...stringsIn(item)]);
  return [];
}
