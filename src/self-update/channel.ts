/**
 * How this binary was installed decides how it is updated: the install script's binary is replaced in place, a
 * package manager's is upgraded by that package manager (replacing it behind its back would confuse it), and a
 * source checkout is updated with git.
 */
import { isRuntimeExecutable } from "../util/self-command.ts";
import { readFileSync, realpathSync } from "node:fs";
import { basename } from "node:path";
import { parseReceipt, receiptCandidates, type InstallReceipt } from "./receipt.ts";

export type InstallChannel = "script" | "homebrew" | "winget" | "source" | "unknown";

export interface ChannelInfo {
  channel: InstallChannel;
  /** The binary that would be replaced (as given: a symlink stays a symlink path). */
  binaryPath: string;
  /** For the script channel: the receipt that names this binary, and where it lives. */
  receipt?: InstallReceipt;
  receiptPath?: string;
  /** Why this channel was chosen, for `self-update --check` and the log. */
  reason: string;
}

/** The file-system reads detection needs, injectable so tests can describe any machine. */
export interface ChannelFs {
  /** The file's text, or null when it cannot be read. */
  readText(path: string): string | null;
  /** The path with symlinks resolved; the path itself when it cannot be resolved. */
  realpath(path: string): string;
}

export const nodeChannelFs: ChannelFs = {
  readText: (path) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return null;
    }
  },
  realpath: (path) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  },
};

export interface DetectOptions {
  platform?: NodeJS.Platform;
  homeDir?: string;
}

function slashed(path: string): string {
  return path.replace(/\\/g, "/");
}

function isHomebrewPath(path: string): boolean {
  const p = slashed(path);
  return p.includes("/Cellar/") || p.includes("/homebrew/") || p.includes("/.linuxbrew/");
}

/** winget's portable packages live under …\Microsoft\WinGet\Packages (per user) or …\WinGet\Packages (machine), linked from …\WinGet\Links. */
function isWingetPath(path: string): boolean {
  const p = slashed(path).toLowerCase();
  return p.includes("/microsoft/winget/") || p.includes("/winget/packages/") || p.includes("/winget/links/");
}

function samePath(a: string, b: string, fs: ChannelFs, platform: NodeJS.Platform): boolean {
  const norm = (p: string) => (platform === "win32" ? slashed(p).toLowerCase() : p);
  if (norm(a) === norm(b)) return true;
  return norm(fs.realpath(a)) === norm(fs.realpath(b));
}

function findReceipt(execPath: string, env: Record<string, string | undefined>, fs: ChannelFs, options: DetectOptions) {
  const platform = options.platform ?? process.platform;
  for (const path of receiptCandidates({ env, platform, homeDir: options.homeDir })) {
    const text = fs.readText(path);
    if (text === null) continue;
    const receipt = parseReceipt(text);
    if (receipt.channel === "script" && receipt.path && samePath(receipt.path, execPath, fs, platform)) return { receipt, receiptPath: path };
  }
  return undefined;
}

export function detectInstallChannel(
  execPath: string,
  env: Record<string, string | undefined>,
  fs: ChannelFs = nodeChannelFs,
  options: DetectOptions = {},
): ChannelInfo {
  // Checked first: a runtime installed by Homebrew lives under /Cellar/ too, and is not ours to upgrade.
  if (isRuntimeExecutable(execPath)) return { channel: "source", binaryPath: execPath, reason: `running from source with ${basename(slashed(execPath))}` };
  const found = findReceipt(execPath, env, fs, options);
  if (found) return { channel: "script", binaryPath: execPath, ...found, reason: `install receipt ${found.receiptPath}` };
  const real = fs.realpath(execPath);
  if (isHomebrewPath(execPath) || isHomebrewPath(real)) return { channel: "homebrew", binaryPath: execPath, reason: `Homebrew path ${real}` };
  if (isWingetPath(execPath) || isWingetPath(real)) return { channel: "winget", binaryPath: execPath, reason: `winget path ${real}` };
  return { channel: "unknown", binaryPath: execPath, reason: "no install receipt names this binary, and it is not under Homebrew or winget" };
}
