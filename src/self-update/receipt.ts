/**
 * The install receipt written by installers/install.sh and install.ps1: a `key=value` text file that records what
 * the script installed (channel, version, asset, path, sha256, base_url, layout). Self-update reads it to know that
 * the binary is the script's and which build to fetch, and rewrites `version`, `commit`, `sha256` and
 * `installed_at` after replacing the binary, or `install.sh --uninstall` would treat the binary as changed by hand.
 */
import { chmodSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { atomicWriteFileSync } from "../util/atomic-write.ts";

export const RECEIPT_FILE = "install-receipt";

export interface InstallReceipt {
  channel: string;
  version: string | null;
  commit: string | null;
  asset: string | null;
  path: string | null;
  sha256: string | null;
  baseUrl: string | null;
  layout: string | null;
  installedAt: string | null;
  /** Every line, in order, so a rewrite keeps fields this version does not know. */
  fields: Array<[key: string, value: string]>;
}

export interface ReceiptLocationOptions {
  env: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  homeDir?: string;
}

/**
 * Where the installers put their receipt, most specific first (the same rules as the scripts: FABSTIR_RECEIPT_DIR,
 * then the per-user directory, then the system one for installs made as root/administrator).
 */
export function receiptCandidates(options: ReceiptLocationOptions): string[] {
  const { env } = options;
  const platform = options.platform ?? process.platform;
  const dirs: string[] = [];
  if (env.FABSTIR_RECEIPT_DIR) dirs.push(env.FABSTIR_RECEIPT_DIR);
  if (platform === "win32") {
    if (env.LOCALAPPDATA) dirs.push(join(env.LOCALAPPDATA, "fabstir-host"));
    if (env.ProgramData ?? env.PROGRAMDATA) dirs.push(join((env.ProgramData ?? env.PROGRAMDATA)!, "fabstir-host"));
  } else {
    const home = env.HOME ?? options.homeDir;
    if (env.XDG_DATA_HOME) dirs.push(join(env.XDG_DATA_HOME, "fabstir-host"));
    else if (home) dirs.push(join(home, ".local", "share", "fabstir-host"));
    dirs.push("/usr/local/share/fabstir-host");
  }
  return [...new Set(dirs)].map((dir) => join(dir, RECEIPT_FILE));
}

export function parseReceipt(text: string): InstallReceipt {
  const fields: Array<[string, string]> = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    fields.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  const get = (key: string) => {
    const found = fields.find(([k]) => k === key);
    return found && found[1] !== "" ? found[1] : null;
  };
  return {
    channel: get("channel") ?? "script",
    version: get("version"),
    commit: get("commit"),
    asset: get("asset"),
    path: get("path"),
    sha256: get("sha256")?.toLowerCase() ?? null,
    baseUrl: get("base_url"),
    layout: get("layout"),
    installedAt: get("installed_at"),
    fields,
  };
}

export interface ReceiptChanges {
  version: string;
  commit: string | null;
  sha256: string;
  asset?: string | null;
  installedAt: string;
}

/** The receipt text after a replacement: changed fields updated in place, unknown fields kept. */
export function formatUpdatedReceipt(receipt: InstallReceipt, changes: ReceiptChanges): string {
  const updates: Record<string, string> = {
    version: changes.version,
    commit: changes.commit ?? "",
    sha256: changes.sha256,
    installed_at: changes.installedAt,
  };
  if (changes.asset) updates.asset = changes.asset;
  const seen = new Set<string>();
  const lines = ["# Written by the fabstir-host install script, updated by `fabstir-host self-update`; read by both."];
  for (const [key, value] of receipt.fields) {
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`${key}=${key in updates ? updates[key] : value}`);
  }
  for (const [key, value] of Object.entries(updates)) if (!seen.has(key)) lines.push(`${key}=${value}`);
  return lines.join("\n") + "\n";
}

export function writeUpdatedReceipt(receiptPath: string, receipt: InstallReceipt, changes: ReceiptChanges): void {
  atomicWriteFileSync(receiptPath, formatUpdatedReceipt(receipt, changes), { mode: 0o644, dirMode: 0o755 });
  try {
    chmodSync(receiptPath, 0o644); // the scripts write it world-readable; keep it that way
  } catch {}
}

/** The installer's time format (seconds, UTC). */
export function receiptTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function resolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Rewrites the receipt at `receiptPath` after `binary` was replaced, if that receipt still names `binary`.
 * Returns false (and changes nothing) when it cannot: the binary is then in place but `install.sh --uninstall` will
 * see it as changed by hand.
 */
export function refreshReceipt(
  receiptPath: string,
  binary: string,
  changes: { version: string; commit: string | null; sha256: string; asset?: string | null },
  now: Date,
): boolean {
  try {
    const receipt = parseReceipt(readFileSync(receiptPath, "utf8"));
    if (!receipt.path || resolved(receipt.path) !== resolved(binary)) return false;
    writeUpdatedReceipt(receiptPath, receipt, { ...changes, installedAt: receiptTime(now) });
    return true;
  } catch {
    return false;
  }
}
