/**
 * Real keychains for integration tests, each in a throwaway environment:
 *   - kernel keyutils: `keyctl session - <cmd>` (a fresh session keyring; package `keyutils`)
 *   - Secret Service: `dbus-run-session` + gnome-keyring-daemon unlocked with a test password, in a temporary HOME
 *     (packages `gnome-keyring`, `dbus-daemon`, `dbus-x11`, `libsecret-tools`)
 * A missing tool fails the test with the install line: these tests must not pass by skipping.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { TEST_SCRYPT_N } from "../../unit/wallet/wallet-fixtures.ts";

export const REPO_ROOT = resolve(import.meta.dir, "../../..");
export const MAIN = join(REPO_ROOT, "src", "main.ts");
export const KEYRING_OP = join(import.meta.dir, "fixtures", "keyring-op.ts");
export const APT_PACKAGES = "keyutils gnome-keyring dbus-daemon dbus-x11 libsecret-tools";

export function requireTools(...names: string[]): void {
  const missing = names.filter((name) => !Bun.which(name));
  if (missing.length > 0) throw new Error(`missing ${missing.join(", ")}: install with apt-get install -y ${APT_PACKAGES}`);
}

export interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A clean environment for child CLIs: private HOME, test-only scrypt cost, nothing inherited that names secrets. */
export function childEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    NO_COLOR: "1",
    NODE_ENV: "test",
    FABSTIR_TEST_SCRYPT_N: TEST_SCRYPT_N,
    XDG_DATA_HOME: join(home, ".local", "share"),
    XDG_CONFIG_HOME: join(home, ".config"),
    ...extra,
  };
}

export function tempHome(prefix = "kc-home-"): string {
  const home = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(home, "run"), { recursive: true, mode: 0o700 });
  return home;
}

async function run(argv: string[], env: Record<string, string>, timeoutMs: number): Promise<ShellResult> {
  const child = Bun.spawn(argv, { env, cwd: REPO_ROOT, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

/** Runs a shell script inside a fresh kernel session keyring. */
export function inKeyctlSession(script: string, env: Record<string, string>, timeoutMs = 45_000): Promise<ShellResult> {
  requireTools("keyctl", "sh");
  return run(["keyctl", "session", "-", "sh", "-c", script], env, timeoutMs);
}

/** Runs a shell script on a private D-Bus session bus with an unlocked gnome-keyring Secret Service. */
export function inSecretService(script: string, home: string, env: Record<string, string>, timeoutMs = 45_000): Promise<ShellResult> {
  requireTools("dbus-run-session", "gnome-keyring-daemon", "sh");
  const password = join(home, "keyring-unlock");
  writeFileSync(password, "test-keyring-password", { mode: 0o600 });
  const full = `gnome-keyring-daemon --unlock --components=secrets < ${password} > /dev/null 2>&1; ${script}`;
  return run(["dbus-run-session", "--", "sh", "-c", full], { ...env, XDG_RUNTIME_DIR: join(home, "run") }, timeoutMs);
}

/** `bun src/main.ts …` as a shell word list, for the scripts above. */
export function cli(args: string): string {
  return `${process.execPath} ${MAIN} ${args}`;
}

export function keyringOp(args: string): string {
  return `${process.execPath} ${KEYRING_OP} ${args}`;
}

/** Lines of a script's output that are JSON envelopes, in order. */
export function envelopes(stdout: string): any[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}
