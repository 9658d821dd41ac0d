/**
 * The rules config values follow, the same ones the commands apply to their flags: URLs parsed strictly and free of
 * credentials, checksummed non-zero addresses, finite numbers within bounds, model references and paths free of
 * traversal, and a node environment that cannot load code into the node or carry a secret.
 */
import * as t from "typanion";
import { checksumAddress } from "../util/checksum-address.ts";
import { looksLikeSecret } from "../util/redact.ts";
import { parseModelRef } from "../node/models/model-ref.ts";
import { normalizePublicUrl } from "../host/registration/url-check.ts";

type Validator<T> = t.StrictValidator<unknown, T>;

/** Records why a value is refused, as typanion's own predicates do, and fails the test. */
function refuse(state: t.ValidationState | undefined, reason: string): false {
  state?.errors?.push(`${state.p ?? "."}: ${reason}`);
  return false;
}

/** A URL with one of `schemes`, a host, a port in range, and no `user:pass@` (credentials belong in a secret file). */
export function isStrictUrl(schemes: readonly string[]): Validator<string> {
  return t.cascade(t.isString(), [
    t.makeValidator<string, string>({
      test: (value, state) => {
        const reason = urlProblem(value, schemes);
        return reason ? refuse(state, reason) : true;
      },
    }),
  ]) as Validator<string>;
}

export function urlProblem(value: string, schemes: readonly string[]): string | undefined {
  if (value !== value.trim() || /\s/.test(value)) return "contains whitespace";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a URL";
  }
  if (!schemes.includes(url.protocol.slice(0, -1))) return `must start with ${schemes.map((s) => `${s}://`).join(" or ")}`;
  if (!url.hostname) return "has no host";
  if (url.username || url.password) return "carries credentials (user:pass@)";
  // `new URL` already refuses ports above 65535 and unclosed IPv6 brackets; also refuse what it silently rewrites.
  if (!value.toLowerCase().startsWith(`${url.protocol}//`)) return "is not a URL";
  return undefined;
}

/**
 * An address that is not the zero address, and whose checksum is right when it has one (mixed case). A file may hold
 * the all-lowercase form (EIP-55's "no checksum", as older versions wrote it); `config set` wants the checksummed
 * form, as `withdraw --to` does (see `newValueProblem`).
 */
export const isChecksummedAddress: Validator<string> = t.cascade(t.isString(), [
  t.makeValidator<string, string>({
    test: (value, state) => {
      if (!/^0x[0-9a-fA-F]{40}$/.test(value)) return refuse(state, "is not an address");
      if (/^0x0{40}$/.test(value)) return refuse(state, "is the zero address");
      const mixed = /[a-f]/.test(value.slice(2)) && /[A-F]/.test(value.slice(2));
      if (mixed && checksumAddress(value) !== value) return refuse(state, "has a wrong checksum (a mistyped character?)");
      return true;
    },
  }),
]) as Validator<string>;

/** Rules for a value typed now (`config set`) beyond what a stored file must follow. */
export function newValueProblem(key: string, value: unknown): string | undefined {
  if (key.startsWith("contracts.") && typeof value === "string" && checksummed(value) !== value) return "is not checksummed";
  return undefined;
}

/** The checksummed form of an address, for a hint (undefined when it is not an address at all). */
export function checksummed(value: string): string | undefined {
  return /^0x[0-9a-fA-F]{40}$/.test(value) ? checksumAddress(value) : undefined;
}

/** A finite number in [min, max] with at most `decimals` digits after the point (JSON cannot hold Infinity or NaN). */
export function isBoundedNumber(min: number, max: number, decimals = 9): Validator<number> {
  return t.cascade(t.isNumber(), [
    t.makeValidator<number, number>({
      test: (value, state) => {
        if (!Number.isFinite(value)) return refuse(state, "is not a finite number");
        if (value < min || value > max) return refuse(state, `is outside ${min}–${max}`);
        if (Math.abs(Number(value.toFixed(decimals)) - value) > Number.EPSILON * Math.max(1, Math.abs(value)))
          return refuse(state, `has more than ${decimals} decimals`);
        return true;
      },
    }),
  ]) as Validator<number>;
}

/** Passes when `check` does not throw: the command's own parser is the rule (its message is the reason). */
function acceptedBy(check: (value: string) => unknown): Validator<string> {
  return t.cascade(t.isString(), [
    t.makeValidator<string, string>({
      test: (value, state) => {
        if (value !== value.trim() || value === "") return refuse(state, "is empty or padded with spaces");
        try {
          check(value);
          return true;
        } catch (error) {
          return refuse(
            state,
            (error as Error).message
              .replace(/^"[^"]*" /, "")
              .replace(/\. Nothing was sent\.$/, "")
              .replace(/\.$/, ""),
          );
        }
      },
    }),
  ]) as Validator<string>;
}

/** `owner/repo:file.gguf`, as `models download` parses it: the file can never climb out of the models directory. */
export const isModelRef: Validator<string> = acceptedBy(parseModelRef);

/** The public URL, as `register` and `update url` check it before publishing it (no credentials, no query). */
export const isPublicUrl: Validator<string> = t.cascade(isStrictUrl(["http", "https"]), [
  t.makeValidator<string, string>({ test: (value, state) => acceptedBy(normalizePublicUrl)(value, state) }),
]) as Validator<string>;

/** A file path without `..` segments or control characters. */
export const isSafePath: Validator<string> = t.cascade(t.isString(), [
  t.makeValidator<string, string>({
    test: (value, state) => {
      if (value.trim() === "" || value !== value.trim()) return refuse(state, "is empty or padded with spaces");
      if (/[\u0000-\u001f]/.test(value)) return refuse(state, "contains control characters");
      if (value.split(/[\\/]/).includes("..")) return refuse(state, "climbs out with ..");
      return true;
    },
  }),
]) as Validator<string>;

/**
 * Variables that make the dynamic loader run code in the node (Linux LD_*, macOS DYLD_*). A library path the GPU
 * driver needs (LD_LIBRARY_PATH) is inherited from the service's own environment instead
 * (src/node/supervisor/node-env.ts, inheritedEnv).
 */
const LOADER_VARIABLE = /^(LD_|DYLD_)/;
/**
 * The host key and what unlocks it. The node reads its key from HOST_PRIVATE_KEY
 * (fabstir-llm-node@85a87b8 src/api/server.rs:349), which the supervisor sets from the key store when
 * node.signer = "node"; the supervisor refuses these names at start (src/node/supervisor/node-env.ts) and config set
 * refuses them before they are written. The node's own service keys (BRAVE_API_KEY, BING_API_KEY:
 * fabstir-llm-node@85a87b8 src/search/config.rs:49-50) have no other way in and are allowed; they are masked
 * wherever the config is shown.
 */
const SECRET_VARIABLE = /(PRIVATE_KEY|PASSWORD|PASSPHRASE|MNEMONIC|SEED)/i;

export function extraEnvProblem(name: string, value: string): string | undefined {
  if (LOADER_VARIABLE.test(name)) return `${name} is a loader variable: it would load code into the node`;
  if (SECRET_VARIABLE.test(name)) return `${name} would hand the node a secret from the config; the node gets its key from the key store`;
  if (looksLikeSecret(value)) return `${name} holds what looks like a private key or recovery phrase`;
  return undefined;
}

export const isExtraEnv: Validator<Record<string, string>> = t.cascade(
  t.isRecord(t.isString(), { keys: t.cascade(t.isString(), [t.matchesRegExp(/^[A-Z_][A-Z0-9_]*$/)]) }),
  [
    t.makeValidator<Record<string, string>, Record<string, string>>({
      test: (value, state) => {
        for (const [name, text] of Object.entries(value)) {
          const problem = extraEnvProblem(name, text);
          if (problem) return refuse(state, problem);
        }
        return true;
      },
    }),
  ],
) as Validator<Record<string, string>>;

/** A price in contract units: digits only (no sign, no spaces, no exponent). */
export const isDecimalString: Validator<string> = t.cascade(t.isString(), [t.matchesRegExp(/^(0|[1-9]\d{0,77})$/)]) as Validator<string>;
/** Keys of `prices`: a model reference or `*`. */
export const isPriceKey: Validator<string> = t.cascade(t.isString(), [
  t.makeValidator<string, string>({ test: (value, state) => value === "*" || isModelRef(value, state) }),
]) as Validator<string>;

/** Hosts a listener on which reaches only this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "" || host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Text parsed as a number only when it is written as one: no padding, no Infinity, no hex. */
export function parseNumberText(value: string): unknown {
  return /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : value;
}

export function parseIntegerText(value: string): unknown {
  return /^-?\d+$/.test(value) ? Number(value) : value;
}
