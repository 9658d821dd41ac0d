/**
 * One redactor for every path text leaves the process by (logs, errors, crash reports, child output we relay).
 *
 * Three layers:
 *  1. exact secrets the process knows about (the unlocked key, its mnemonic, passwords read from files or prompts,
 *     and whatever key or recovery phrase was pasted on the command line), registered the moment they are read;
 *  2. shapes that are secret wherever they appear: `name=value` / `"name": "value"` pairs whose name says secret,
 *     runs of 12+ BIP-39 words, the password in a URL's `user:pass@`, and key-like query parameters (`?apikey=`);
 *  3. `redactStrict` (config values, which never hold a hash): also every 32-byte hex string, with or without 0x.
 * Bare 32-byte hex is NOT masked by shape in ordinary output, because transaction hashes, model ids and SHA-256
 * digests look the same and operators need them; a key pasted anywhere reaches the output through argv, env or
 * config, and each of those paths registers or strictly redacts it (see `registerInputSecrets`).
 */

const MASK = "[REDACTED]";
const known = new Set<string>();
/** `known`, longest first (a key registered bare must not leave the "0x" of its prefixed form behind); rebuilt on change. */
let ordered: string[] = [];
const reorder = () => void (ordered = [...known].sort((a, b) => b.length - a.length));

export function registerSecret(secret: string | undefined | null): void {
  if (!secret) return;
  const trimmed = secret.trim();
  if (trimmed.length < 4) return; // too short to mask without destroying ordinary text
  known.add(trimmed);
  // A private key may be written with or without its 0x prefix.
  if (/^0x[0-9a-fA-F]{64}$/.test(trimmed)) known.add(trimmed.slice(2));
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) known.add(`0x${trimmed}`);
  // The same text inside a JSON string (a mnemonic pasted with a newline, a password with a quote).
  const quoted = JSON.stringify(trimmed).slice(1, -1);
  if (quoted !== trimmed) known.add(quoted);
  reorder();
}

export function forgetSecrets(): void {
  known.clear();
  reorder();
}

const SECRET_NAME =
  "[A-Za-z0-9_.-]*(?:private[_-]?key|privatekey|password|passphrase|mnemonic|secret(?![-_]?service)|seed[_-]?phrase|api[_-]?token|api[_-]?key|auth[_-]?token|access[_-]?token)[A-Za-z0-9_.-]*";
const PAIR_PATTERNS = [
  // JSON: "privateKey": "0xabc"
  new RegExp(String.raw`("${SECRET_NAME}"\s*:\s*")([^"]*)(")`, "gi"),
  // env / query style: HOST_PRIVATE_KEY=0xabc
  new RegExp(String.raw`(\b${SECRET_NAME}\s*[=:]\s*)([^\s,;&"']+)()`, "gi"),
];

/** `scheme://user:password@host`: the whole user-info goes (a user name alone can be an API key, as with Infura). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@(?=[^\s/@"'<>]+)/gi;
/** `?apikey=…`, `&access_token=…`, `?key=…` in any URL. */
const URL_KEY_PARAM = /([?&](?:api[_-]?key|apikey|key|access[_-]?token|token|auth|secret|signature|sig|x-api-key)=)([^&\s"'#<>]+)/gi;

let bip39: Set<string> | undefined;
function bip39Words(): Set<string> {
  if (!bip39) {
    // Loaded on the first text that could hold a mnemonic, not with every command that may print an error.
    const { wordlists } = require("ethers") as typeof import("ethers");
    const list = wordlists.en!;
    bip39 = new Set(Array.from({ length: 2048 }, (_, index) => list.getWord(index)));
  }
  return bip39;
}

/** Masks runs of 12 or more consecutive BIP-39 words (a mnemonic, whatever else surrounds it; any letter case). */
function maskMnemonics(text: string): string {
  if (!/[A-Za-z]{3,}(\s+[A-Za-z]{3,}){11,}/.test(text)) return text;
  const words = bip39Words();
  return text.replace(/\b[A-Za-z]+(?:\s+[A-Za-z]+){11,}\b/g, (run) => {
    const tokens = run.split(/\s+/);
    let out: string[] = [];
    let streak: string[] = [];
    const flush = () => {
      if (streak.length >= 12) out.push(MASK);
      else out = out.concat(streak);
      streak = [];
    };
    for (const token of tokens) {
      if (words.has(token.toLowerCase())) streak.push(token);
      else {
        flush();
        out.push(token);
      }
    }
    flush();
    return out.join(" ");
  });
}

/** True when the text holds a 32-byte hex string (a private key's shape), with or without 0x. */
export function containsHexKey(text: string): boolean {
  return /(?<![0-9a-zA-Z])(?:0x)?[0-9a-fA-F]{64}(?![0-9a-zA-Z])/.test(text);
}

/** True when the text holds a run of 12 or more BIP-39 words (a recovery phrase's shape). */
export function containsMnemonic(text: string): boolean {
  return maskMnemonics(text) !== text;
}

/** A private key or a recovery phrase, by shape: what must never be written to config, logs or output. */
export function looksLikeSecret(text: string): boolean {
  return containsHexKey(text) || containsMnemonic(text);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of ordered) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  for (const pattern of PAIR_PATTERNS) out = out.replace(pattern, (_m, pre: string, _v: string, post: string) => `${pre}${MASK}${post}`);
  out = out.replace(URL_USERINFO, `$1${MASK}@`).replace(URL_KEY_PARAM, `$1${MASK}`);
  return maskMnemonics(out);
}

/** For text that never legitimately holds a hash (config values): every 32-byte hex string is masked too. */
export function redactStrict(text: string): string {
  return redact(text).replace(/(?<![0-9a-zA-Z])(?:0x)?[0-9a-fA-F]{64}(?![0-9a-zA-Z])/g, MASK);
}

/**
 * Where an RPC or webhook URL points, without what authenticates it: `https://host/[REDACTED]` when it has a path or query
 * (providers put the API key there: Alchemy `/v2/<key>`, Infura `/v3/<key>`, QuickNode `/<token>/`, Slack, Discord).
 */
export function maskUrl(value: string): string {
  try {
    const url = new URL(value);
    const hasMore = (url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.username !== "" || url.password !== "";
    if (!hasMore) return value;
    return `${url.protocol}//${url.host}/${MASK}`;
  } catch {
    return MASK;
  }
}

/** Registers the parts of a URL that authenticate it (user-info, long path segments, query values) as secrets. */
export function registerUrlSecrets(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return;
  }
  // Both spellings: output may repeat the URL as written (percent-encoded) or decoded.
  const both = (part: string) => {
    registerSecret(part);
    try {
      registerSecret(decodeURIComponent(part));
    } catch {
      // a malformed %-escape: the written form is registered
    }
  };
  if (url.username) both(url.username);
  if (url.password) both(url.password);
  for (const segment of url.pathname.split("/")) if (segment.length >= 12) both(segment);
  for (const [, param] of url.searchParams) if (param.length >= 8) registerSecret(param);
}

/**
 * Flags and positions whose value is a hash the operator typed on purpose (a model id, a SHA-256): not secrets.
 * Everything else on the command line that has a key's or a recovery phrase's shape is one, pasted in the wrong place.
 */
const HASH_FLAGS = new Set(["--sha256", "--model"]);
const HASH_POSITIONS: string[][] = [["models", "info"]];

/** Registers every private key or recovery phrase found on a command line, so no output can repeat it. */
export function registerInputSecrets(argv: readonly string[]): void {
  const hashAt = new Set<number>();
  for (const prefix of HASH_POSITIONS) if (prefix.every((word, index) => argv[index] === word)) hashAt.add(prefix.length);
  argv.forEach((token, index) => {
    const flag = token.startsWith("--") && token.includes("=") ? token.slice(0, token.indexOf("=")) : undefined;
    const hashWanted = hashAt.has(index) || HASH_FLAGS.has(argv[index - 1] ?? "") || (flag !== undefined && HASH_FLAGS.has(flag));
    const value = flag ? token.slice(flag.length + 1) : token;
    if (!hashWanted) for (const match of value.matchAll(/(?<![0-9a-zA-Z])(?:0x)?[0-9a-fA-F]{64}(?![0-9a-zA-Z])/g)) registerSecret(match[0]);
    if (containsMnemonic(value)) registerSecret(value);
    for (const url of value.match(/\b[a-z][a-z0-9+.-]*:\/\/[^\s,]+/gi) ?? []) {
      if (/@/.test(url)) registerUrlSecrets(url);
    }
  });
}

/** Deep-redacts a structured value (log metadata, JSON output) without mutating it. */
export function redactValue<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactValue(item)) as T;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[key] = new RegExp(`^${SECRET_NAME}$`, "i").test(key) && item != null ? MASK : redactValue(item);
    }
    return out as T;
  }
  return value;
}

/** Environment names that say they hold a credential (the node's own API keys and tokens in node.extraEnv). */
const CREDENTIAL_ENV_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSPHRASE|AUTH|CREDENTIAL)/i;

/** An environment map as it may be shown: values of credential-named variables masked. */
export function maskEnvCredentials(env: unknown): unknown {
  if (!env || typeof env !== "object" || Array.isArray(env)) return env;
  return Object.fromEntries(Object.entries(env as Record<string, unknown>).map(([name, value]) => [name, CREDENTIAL_ENV_NAME.test(name) ? MASK : value]));
}

export const REDACTION_MASK = MASK;
