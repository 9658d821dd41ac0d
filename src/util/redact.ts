/**
 * One redactor for every path text leaves the process by (logs, errors, crash reports, child output we relay).
 *
 * Two layers:
 *  1. exact secrets the process knows about (the unlocked key, its mnemonic, passwords read from files or prompts),
 *     registered with `registerSecret` the moment they are read;
 *  2. shapes: `name=value` / `"name": "value"` pairs whose name says secret, and runs of 12+ BIP-39 words.
 * Bare 32-byte hex is NOT masked by shape, because transaction and proof hashes look the same and operators need them.
 */

const MASK = "[REDACTED]";
const known = new Set<string>();

export function registerSecret(secret: string | undefined | null): void {
  if (!secret) return;
  const trimmed = secret.trim();
  if (trimmed.length < 4) return; // too short to mask without destroying ordinary text
  known.add(trimmed);
  // A private key may be written with or without its 0x prefix.
  if (/^0x[0-9a-fA-F]{64}$/.test(trimmed)) known.add(trimmed.slice(2));
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) known.add(`0x${trimmed}`);
}

export function forgetSecrets(): void {
  known.clear();
}

const SECRET_NAME = String.raw`[A-Za-z0-9_.-]*(?:private[_-]?key|privatekey|password|passphrase|mnemonic|secret(?![-_]?service)|seed[_-]?phrase|api[_-]?token|auth[_-]?token)[A-Za-z0-9_.-]*`;
const PAIR_PATTERNS = [
  // JSON: "privateKey": "0xabc"
  new RegExp(String.raw`("${SECRET_NAME}"\s*:\s*")([^"]*)(")`, "gi"),
  // env / query style: HOST_PRIVATE_KEY=0xabc
  new RegExp(String.raw`(\b${SECRET_NAME}\s*[=:]\s*)([^\s,;&"']+)()`, "gi"),
];

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

/** Masks runs of 12 or more consecutive BIP-39 words (a mnemonic, whatever else surrounds it). */
function maskMnemonics(text: string): string {
  if (!/[a-z]{3,}(\s+[a-z]{3,}){11,}/.test(text)) return text;
  const words = bip39Words();
  return text.replace(/\b[a-z]+(?:\s+[a-z]+){11,}\b/g, (run) => {
    const tokens = run.split(/\s+/);
    let out: string[] = [];
    let streak: string[] = [];
    const flush = () => {
      if (streak.length >= 12) out.push(MASK);
      else out = out.concat(streak);
      streak = [];
    };
    for (const token of tokens) {
      if (words.has(token)) streak.push(token);
      else {
        flush();
        out.push(token);
      }
    }
    flush();
    return out.join(" ");
  });
}

export function redact(text: string): string {
  let out = text;
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  for (const pattern of PAIR_PATTERNS) out = out.replace(pattern, (_m, pre: string, _v: string, post: string) => `${pre}${MASK}${post}`);
  return maskMnemonics(out);
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

export const REDACTION_MASK = MASK;
