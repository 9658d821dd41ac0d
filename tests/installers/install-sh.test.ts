/**
 * install.sh end to end against a local release server: install, idempotence, refusal of a tampered download,
 * uninstall, downloader and checksum-tool fallbacks, a root install into a chosen directory, and shellcheck.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_UNIX_ASSETS, makeRelease, startReleaseServer, type ReleaseServer } from "./fake-release.ts";
import { INSTALL_SH, Sandbox, parseReceipt, shells, which } from "./sandbox.ts";

let server: ReleaseServer;
let tampered: ReleaseServer;
const sandboxes: Sandbox[] = [];

function sandbox(): Sandbox {
  const box = new Sandbox();
  sandboxes.push(box);
  return box;
}

/** A user's configuration and keys, which the installer must never touch. */
function seedUserState(box: Sandbox): { path: string; body: string } {
  const keystore = join(box.home, ".fabstir", "host", "keystore");
  mkdirSync(keystore, { recursive: true });
  const path = join(keystore, "host.json");
  writeFileSync(path, '{"crypto":"encrypted"}');
  return { path, body: '{"crypto":"encrypted"}' };
}

beforeAll(() => {
  server = startReleaseServer([makeRelease("1.2.3", ALL_UNIX_ASSETS), makeRelease("1.3.0", ALL_UNIX_ASSETS)], "1.3.0");
  tampered = startReleaseServer([makeRelease("1.2.3", ALL_UNIX_ASSETS, { tamper: ["fabstir-host-linux-x64"] })], "1.2.3");
});

afterAll(() => {
  server?.stop();
  tampered?.stop();
  for (const box of sandboxes) box.dispose();
});

describe.each(shells().map((shell) => [shell.name, shell] as const))("install.sh under %s", (_name, shell) => {
  test("installs the latest release, is idempotent, and uninstalls only what it installed", async () => {
    const box = sandbox();
    const userState = seedUserState(box);
    mkdirSync(box.binDir, { recursive: true });
    writeFileSync(join(box.binDir, "other-tool"), "#!/bin/sh\n");
    const env = box.baseEnv(server.url);

    const first = await box.run(shell.argv, [], env);
    expect(first.code, first.output).toBe(0);
    const binary = join(box.binDir, "fabstir-host");
    expect(await box.exec([binary, "--version"])).toBe("fabstir-host 1.3.0 (abc123)\n");
    expect(await box.exec([binary, "doctor"])).toContain("all checks passed");
    expect(first.stdout).toContain("Checksum verified.");
    expect(first.stdout).toContain('export PATH="$HOME/.local/bin:$PATH"');
    const receipt = parseReceipt(readFileSync(box.receipt, "utf8"));
    expect(receipt).toMatchObject({ channel: "script", version: "1.3.0", commit: "abc123", path: binary });
    expect(receipt.asset).toBe("fabstir-host-linux-x64");
    expect(receipt.sha256).toMatch(/^[0-9a-f]{64}$/);

    const downloadsBefore = server.requests.filter((r) => r.path.endsWith("/fabstir-host-linux-x64")).length;
    const second = await box.run(shell.argv, [], env);
    expect(second.code, second.output).toBe(0);
    expect(second.stdout).toContain("already up to date");
    expect(server.requests.filter((r) => r.path.endsWith("/fabstir-host-linux-x64")).length).toBe(downloadsBefore);

    const removed = await box.run(shell.argv, ["--uninstall"], env);
    expect(removed.code, removed.output).toBe(0);
    expect(existsSync(binary)).toBe(false);
    expect(existsSync(box.receipt)).toBe(false);
    expect(existsSync(join(box.binDir, "other-tool"))).toBe(true);
    expect(readFileSync(userState.path, "utf8")).toBe(userState.body);
  });

  test("refuses a download whose checksum does not match and installs nothing", async () => {
    const box = sandbox();
    const result = await box.run(shell.argv, ["--version", "1.2.3"], box.baseEnv(tampered.url));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("checksum mismatch for fabstir-host-linux-x64");
    expect(existsSync(join(box.binDir, "fabstir-host"))).toBe(false);
    expect(existsSync(box.binDir) ? readdirSync(box.binDir) : []).toEqual([]);
    expect(existsSync(box.receipt)).toBe(false);
  });
});

describe("install.sh", () => {
  const dash = shells()[1]!.argv;

  test("installs a pinned version from a flat mirror, then upgrades to the latest", async () => {
    const box = sandbox();
    const env = { ...box.baseEnv("unused"), FABSTIR_INSTALL_LAYOUT: "flat" };
    const pinned = await box.run(dash, ["--base-url", `${server.url}/`, "--version", "v1.2.3"], env);
    expect(pinned.code, pinned.output).toBe(0);
    expect(server.requests.some((r) => r.path === "/v1.2.3/fabstir-host-linux-x64")).toBe(true);
    expect(await box.exec([join(box.binDir, "fabstir-host"), "--version"])).toContain("1.2.3");

    const latest = await box.run(dash, ["--base-url", server.url], env);
    expect(latest.code, latest.output).toBe(0);
    expect(latest.stdout).toContain("Installed fabstir-host 1.3.0");
    expect(parseReceipt(readFileSync(box.receipt, "utf8")).version).toBe("1.3.0");
  });

  test("works when piped into sh, as in curl ... | sh -s -- --version 1.2.3", async () => {
    const box = sandbox();
    const child = Bun.spawn([...dash, "-s", "--", "--version", "1.2.3"], {
      env: box.baseEnv(server.url),
      cwd: box.root,
      stdin: Bun.file(INSTALL_SH),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect(code, stdout + stderr).toBe(0);
    expect(await box.exec([join(box.binDir, "fabstir-host"), "--version"])).toBe("fabstir-host 1.2.3 (abc123)\n");
  });

  test("falls back to wget when curl is missing, and says so when neither exists", async () => {
    const box = sandbox();
    const env = { ...box.baseEnv(server.url), PATH: box.pathWithout(["curl"]) };
    const result = await box.run(dash, ["--version", "1.2.3"], env);
    expect(result.code, result.output).toBe(0);
    expect(server.requests.some((r) => r.path.endsWith("/v1.2.3/SHA256SUMS") && /wget/i.test(r.userAgent))).toBe(true);
    expect(existsSync(join(box.binDir, "fabstir-host"))).toBe(true);

    const neither = await box.run(dash, [], { ...env, PATH: box.pathWithout(["curl", "wget"]) });
    expect(neither.code).not.toBe(0);
    expect(neither.stderr).toContain("neither curl nor wget is installed");
  });

  test("checks sums with shasum when sha256sum is missing, and refuses when neither exists", async () => {
    const box = sandbox();
    if (which("shasum")) {
      const env = { ...box.baseEnv(server.url), PATH: box.pathWithout(["sha256sum"]) };
      const result = await box.run(dash, [], env);
      expect(result.code, result.output).toBe(0);
      expect(result.stdout).toContain("Checksum verified.");
    }
    const none = await box.run(dash, [], { ...box.baseEnv(server.url), PATH: box.pathWithout(["sha256sum", "shasum"]) });
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain("neither sha256sum nor shasum is installed");
  });

  test("installs as root into a chosen directory", async () => {
    const box = sandbox();
    const prefix = join(box.root, "opt", "bin");
    const receiptDir = join(box.root, "receipts");
    const env = { ...box.baseEnv(server.url), FABSTIR_INSTALL_EUID: "0", FABSTIR_RECEIPT_DIR: receiptDir };
    const result = await box.run(dash, ["--prefix", prefix], env);
    expect(result.code, result.output).toBe(0);
    expect(await box.exec([join(prefix, "fabstir-host"), "--version"])).toContain("1.3.0");
    expect(parseReceipt(readFileSync(join(receiptDir, "install-receipt"), "utf8")).path).toBe(join(prefix, "fabstir-host"));
    expect(existsSync(join(box.home, ".local"))).toBe(false);
    expect(result.stdout).toContain(`export PATH="${prefix}:$PATH"`);
  });

  test("says nothing is on PATH to fix when the directory is already there", async () => {
    const box = sandbox();
    const env = { ...box.baseEnv(server.url), PATH: `${box.binDir}:${process.env.PATH}` };
    const result = await box.run(dash, [], env);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).not.toContain("is not in your PATH");
  });

  test("uninstall without a receipt removes nothing", async () => {
    const box = sandbox();
    mkdirSync(box.binDir, { recursive: true });
    writeFileSync(join(box.binDir, "fabstir-host"), "#!/bin/sh\n");
    const result = await box.run(dash, ["--uninstall"], box.baseEnv(server.url));
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain("nothing to remove");
    expect(existsSync(join(box.binDir, "fabstir-host"))).toBe(true);
  });

  test("uninstall leaves a binary that changed since it was installed", async () => {
    const box = sandbox();
    const env = box.baseEnv(server.url);
    expect((await box.run(dash, [], env)).code).toBe(0);
    writeFileSync(join(box.binDir, "fabstir-host"), "#!/bin/sh\necho someone else's\n");
    const result = await box.run(dash, ["--uninstall"], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("changed since this script installed it");
    expect(existsSync(join(box.binDir, "fabstir-host"))).toBe(true);
  });

  test("fails clearly for a version that is not published and for bad options", async () => {
    const box = sandbox();
    const env = box.baseEnv(server.url);
    const missing = await box.run(dash, ["--version", "9.9.9"], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("is version 9.9.9 published?");
    const bad = await box.run(dash, ["--version", "1.2.3;rm"], env);
    expect(bad.stderr).toContain("not a version");
    const unknown = await box.run(dash, ["--frobnicate"], env);
    expect(unknown.stderr).toContain("unknown option: --frobnicate");
    const help = await box.run(dash, ["--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--uninstall");
  });

  test("dash is installed, so the installer is proven in a strict POSIX shell (CI: apt-get install -y dash)", () => {
    expect(which("dash"), "dash is not installed: apt-get install -y dash").toBeDefined();
  });

  test("shellcheck finds nothing (CI must install shellcheck)", async () => {
    const shellcheck = which("shellcheck");
    expect(shellcheck, "shellcheck is not installed: apt-get install -y shellcheck").toBeDefined();
    const child = Bun.spawn([shellcheck!, "--shell=sh", INSTALL_SH], { stdout: "pipe", stderr: "pipe" });
    const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    expect(out).toBe("");
    expect(code).toBe(0);
  });
});
