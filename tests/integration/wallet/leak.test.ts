/**
 * No secret leaves by an unintended door. Every wallet command runs as a real child process (`bun src/main.ts
 * wallet …`) with a known key, mnemonic and passwords given through files and stdin; then stdout, stderr, every log
 * file, every file in the config directory except the encrypted keystores, and the command line and environment of
 * the child and all its descendants (read from /proc while they run) are searched for them. The only exception is
 * what a command prints by design: `export --insecure` and `create --show-mnemonic` on stdout.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { HDNodeWallet } from "ethers";
import { OTHER_PASSWORD, secretFile, TEST_KEY, TEST_MNEMONIC, TEST_PASSWORD } from "../../unit/wallet/wallet-fixtures.ts";
import { childEnv, MAIN, REPO_ROOT, requireTools, tempHome } from "./keychain-env.ts";

const home = tempHome("wallet-leak-");
afterAll(() => rmSync(home, { recursive: true, force: true }));

const WRONG_PASSWORD = "Wrong-But-Secret-Password-7";
const MNEMONIC_KEY = HDNodeWallet.fromPhrase(TEST_MNEMONIC).privateKey;

interface Run {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
  /** argv and environment of the child and every descendant seen while it ran. */
  proc: string[];
  /** This run may print a secret on stdout by design. */
  revealsOnStdout: boolean;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8").replace(/\0/g, " ");
  } catch {
    return undefined;
  }
}

function descendants(pid: number): number[] {
  const found = [pid];
  for (let index = 0; index < found.length; index++) {
    const current = found[index]!;
    for (const task of readdirSafe(`/proc/${current}/task`)) {
      const children = readProc(current, `task/${task}/children`) ?? "";
      for (const child of children.trim().split(/\s+/).filter(Boolean)) found.push(Number(child));
    }
  }
  return found;
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

const runs: Run[] = [];

async function run(args: string[], options: { stdin?: string; reveals?: boolean; wrap?: string[]; configDir: string }): Promise<Run> {
  const argv = [...(options.wrap ?? []), process.execPath, MAIN, "wallet", ...args, "--config-dir", options.configDir];
  const child = Bun.spawn(argv, {
    cwd: REPO_ROOT,
    env: childEnv(home, { FABSTIR_HOME: options.configDir }),
    stdin: options.stdin === undefined ? "ignore" : new Blob([options.stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const proc: string[] = [];
  let running = true;
  const watcher = (async () => {
    while (running) {
      for (const pid of descendants(child.pid)) {
        for (const file of ["cmdline", "environ"]) {
          const text = readProc(pid, file);
          if (text) proc.push(text);
        }
      }
      await Bun.sleep(5);
    }
  })();
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  clearTimeout(timer);
  running = false;
  await watcher;
  const result = { argv, code, stdout, stderr, proc, revealsOnStdout: options.reveals ?? false };
  runs.push(result);
  return result;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => statSync(path).isFile());
}

function secretPatterns(extraKeys: string[]): [string, RegExp][] {
  const keys = [TEST_KEY, MNEMONIC_KEY, ...extraKeys].map((key): [string, RegExp] => [`key ${key.slice(0, 6)}…`, new RegExp(key.slice(2), "i")]);
  const words = TEST_MNEMONIC.split(" ");
  return [
    ...keys,
    ["mnemonic", new RegExp(words.join("\\W+"), "i")],
    ["password", new RegExp(TEST_PASSWORD.replace(/ /g, "\\s"))],
    ["new password", new RegExp(OTHER_PASSWORD)],
    ["wrong password", new RegExp(WRONG_PASSWORD)],
  ];
}

describe("secrets never leak", () => {
  test("through output, logs, state files or /proc, for every wallet command", async () => {
    requireTools("keyctl");
    const pw = secretFile(home, "pw.txt", `${TEST_PASSWORD}\n`);
    const pw2 = secretFile(home, "pw2.txt", `${OTHER_PASSWORD}\n`);
    const wrong = secretFile(home, "wrong.txt", WRONG_PASSWORD);
    const keyFile = secretFile(home, "key.txt", TEST_KEY);
    const mnemonicFile = secretFile(home, "words.txt", TEST_MNEMONIC);
    const a = join(home, "host-a");
    const b = join(home, "host-b");
    const c = join(home, "host-c");
    const ok = (result: Run) =>
      expect({ command: result.argv.slice(result.argv.indexOf("wallet")).join(" "), code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });

    // A new key, in a keystore file; its key is learned later from `export` to search for it everywhere else.
    ok(await run(["create", "--backend", "keystore", "--password-file", pw], { configDir: a }));
    ok(await run(["address"], { configDir: a }));
    ok(await run(["address", "--json", "--qr"], { configDir: a }));
    ok(await run(["backup", join(home, "a-backup.json"), "--password-file", pw], { configDir: a }));
    ok(await run(["change-password", "--password-file", pw, "--new-password-file", pw2], { configDir: a }));
    await run(["export", "--insecure", "--yes", "--password-file", wrong], { configDir: a });
    const exportedA = await run(["export", "--insecure", "--yes", "--password-file", pw2], { configDir: a, reveals: true });
    ok(exportedA);
    const createdKey = exportedA.stdout.trim();
    expect(createdKey).toMatch(/^0x[0-9a-f]{64}$/);

    // Known key and mnemonic, from a file and from stdin; a bad mnemonic; a replacement; JSON export; removal.
    ok(await run(["import", "--from-file", keyFile, "--backend", "keystore", "--password-file", pw], { configDir: b }));
    await run(["import", "--stdin", "--mnemonic", "--password-file", pw], { configDir: b, stdin: TEST_MNEMONIC.replace("junk", "test") });
    ok(await run(["import", "--stdin", "--mnemonic", "--backend", "keystore", "--password-file", pw, "--yes"], { configDir: b, stdin: TEST_MNEMONIC }));
    ok(await run(["import", "--from-file", mnemonicFile, "--backend", "keystore", "--password-file", pw, "--yes", "--json"], { configDir: b }));
    ok(await run(["export", "--insecure", "--yes", "--json", "--password-file", pw], { configDir: b, reveals: true }));
    ok(await run(["backup", join(home, "b-backup.json"), "--password-file", pw, "--backup-password-file", pw2, "--json"], { configDir: b }));
    ok(await run(["remove", "--yes"], { configDir: b }));
    ok(await run(["import", "--from-file", join(home, "b-backup.json"), "--password-file", pw2], { configDir: b }));

    // The keychain path: the key crosses into the keyring helper process, through a pipe only.
    const session = ["keyctl", "session", "-"];
    ok(await run(["import", "--stdin", "--backend", "keychain"], { configDir: c, stdin: TEST_KEY, wrap: session }));
    ok(await run(["export", "--insecure", "--yes"], { configDir: c, wrap: session, reveals: true }));
    ok(await run(["create", "--show-mnemonic", "--backend", "keystore", "--password-file", pw, "--yes"], { configDir: c, reveals: true }));
    ok(await run(["import", "--stdin", "--backend", "keychain", "--yes"], { configDir: c, stdin: TEST_KEY, wrap: session }));
    ok(await run(["remove", "--yes"], { configDir: c, wrap: session }));

    // The /proc scan reaches grandchildren: the keychain helper (keyctl → bun → helper) was seen.
    expect(runs.some((result) => result.proc.some((text) => text.includes("keyring-child.ts")))).toBe(true);

    const patterns = secretPatterns([createdKey]);
    const leaks: string[] = [];
    const search = (where: string, text: string) => {
      for (const [name, pattern] of patterns) if (pattern.test(text)) leaks.push(`${name} in ${where}`);
    };
    for (const result of runs) {
      const label = result.argv.slice(result.argv.indexOf("wallet")).join(" ");
      if (!result.revealsOnStdout) search(`stdout of ${label}`, result.stdout);
      search(`stderr of ${label}`, result.stderr);
      search(`/proc of ${label}`, result.proc.join("\n"));
      expect(result.proc.length).toBeGreaterThan(0);
    }
    const stateFiles = [a, b, c, join(home, ".fabstir")].flatMap(filesUnder).filter((path) => !/\/keystore\/0x[0-9a-f]{40}\.json$/.test(path));
    expect(stateFiles.some((path) => path.includes("/logs/"))).toBe(true);
    for (const path of stateFiles) search(path, readFileSync(path, "utf8"));
    expect(leaks).toEqual([]);
  }, 120_000);
});
