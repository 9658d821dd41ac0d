/**
 * Runs install.sh the way a user would, but inside a throwaway HOME, with a PATH the test controls (to hide curl,
 * sha256sum, minisign …) and the installer's test hooks pinned to one machine type, so results do not depend on the
 * machine running the tests.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dir, "..", "..");
export const INSTALL_SH = join(REPO_ROOT, "installers", "install.sh");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
}

/** Where a command lives on this machine's PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, name);
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The shells install.sh must work in: sh and dash always, busybox sh where installed. */
export function shells(): { name: string; argv: string[] }[] {
  const list = [
    { name: "sh", argv: ["/bin/sh"] },
    { name: "dash", argv: [which("dash") ?? "dash"] },
  ];
  const busybox = which("busybox");
  if (busybox) list.push({ name: "busybox sh", argv: [busybox, "sh"] });
  return list;
}

export class Sandbox {
  readonly root = mkdtempSync(join(tmpdir(), "fabstir-install-"));
  readonly home = join(this.root, "home");
  private readonly pathCache = new Map<string, string>();

  constructor() {
    mkdirSync(this.home, { recursive: true });
  }

  get binDir(): string {
    return join(this.home, ".local", "bin");
  }

  get receipt(): string {
    return join(this.home, ".local", "share", "fabstir-host", "install-receipt");
  }

  /** A PATH holding every command of the real PATH except `hidden`, as symlinks in one folder. */
  pathWithout(hidden: string[]): string {
    const key = [...hidden].sort().join(",");
    const cached = this.pathCache.get(key);
    if (cached) return cached;
    const dir = join(this.root, `path-${this.pathCache.size}`);
    mkdirSync(dir);
    for (const source of (process.env.PATH ?? "").split(delimiter)) {
      if (source === "" || !existsSync(source) || !statSync(source).isDirectory()) continue;
      for (const name of readdirSync(source)) {
        if (hidden.includes(name) || existsSync(join(dir, name))) continue;
        symlinkSync(join(source, name), join(dir, name));
      }
    }
    this.pathCache.set(key, dir);
    return dir;
  }

  /** The environment of a non-root user on linux-x64 (glibc, AVX2) whose PATH lacks ~/.local/bin. */
  baseEnv(baseUrl: string): Record<string, string> {
    return {
      HOME: this.home,
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      SHELL: "/bin/bash",
      FABSTIR_INSTALL_BASE: baseUrl,
      FABSTIR_INSTALL_EUID: "1000",
      FABSTIR_INSTALL_UNAME_S: "Linux",
      FABSTIR_INSTALL_UNAME_M: "x86_64",
      FABSTIR_INSTALL_LIBC: "glibc",
      FABSTIR_INSTALL_CPU_FLAGS: "fpu sse4_2 avx avx2",
    };
  }

  /** Runs install.sh (or another copy of it, `script`) under `shell`. */
  async run(shell: string[], args: string[], env: Record<string, string>, script = INSTALL_SH): Promise<RunResult> {
    const child = Bun.spawn([...shell, script, ...args], { env, cwd: this.root, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    return { code, stdout, stderr, output: stdout + stderr };
  }

  /** Runs a command (the installed binary, say) and returns its stdout. */
  async exec(argv: string[]): Promise<string> {
    const child = Bun.spawn(argv, { env: { PATH: process.env.PATH ?? "" }, stdout: "pipe", stderr: "pipe" });
    const [stdout] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    return stdout;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Parses the key=value install receipt. */
export function parseReceipt(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (line.startsWith("#") || at <= 0) continue;
    fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}
