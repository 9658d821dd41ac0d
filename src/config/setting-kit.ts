/**
 * The pieces every setting is made of: the Setting shape, the validators and parsers settings share, and `setting()`,
 * which names the environment variable. The table itself is settings.ts (node settings in node-settings.ts).
 */
import * as t from "typanion";
import type { HostConfig } from "./types.ts";
import { isStrictUrl, parseIntegerText, parseNumberText } from "./rules.ts";

export type Source = "default" | "file" | "env" | "flag";

export interface Setting {
  key: string;
  env: string;
  description: string;
  /** The allowed form, in words, for error messages and docs. */
  form: string;
  validator: t.StrictValidator<unknown, unknown>;
  defaultValue: (partial: Partial<HostConfig>) => unknown;
  /** Turns text (an env var, a flag, `config set`) into a value. */
  parse: (text: string) => unknown;
}

// One set of rules for config values and the commands' flags (rules.ts).
export const isHttpUrl = isStrictUrl(["http", "https"]);
export const isWsOrHttpUrl = isStrictUrl(["http", "https", "ws", "wss"]);
export const isAddress = t.cascade(t.isString(), [t.matchesRegExp(/^0x[0-9a-fA-F]{40}$/)]);
export const isPort = t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 65535)]);
export const nullable = <T>(v: t.StrictValidator<unknown, T>) => t.isNullable(v) as t.StrictValidator<unknown, T | null>;

export const text = (value: string) => value;
export const textOrNull = (value: string) => (value === "" || value === "null" ? null : value);
export const integer = parseIntegerText;
export const number = parseNumberText;
export const boolean = (value: string) => (/^(1|true|yes|on)$/i.test(value) ? true : /^(0|false|no|off)$/i.test(value) ? false : value);
export const list = (value: string) =>
  value.trim().startsWith("[")
    ? json(value)
    : value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
export function json(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export const envName = (key: string) =>
  `FABSTIR_${key
    .replace(/\./g, "_")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()}`;

export function setting(key: string, def: Omit<Setting, "key" | "env"> & { env?: string }): Setting {
  return { key, env: def.env ?? envName(key), ...def };
}
export const constant = (value: unknown) => () => value;
