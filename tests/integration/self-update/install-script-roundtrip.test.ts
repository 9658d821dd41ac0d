/**
 * The contract between installers/install.sh and self-update, with real processes: the script installs a (fake)
 * release and writes its receipt, self-update finds the receipt, keeps the build the script chose, replaces the
 * binary and rewrites the receipt so that `install.sh --uninstall` still recognises the binary as its own. A stand-in
 * host process shows the staged path: staged while it runs, applied by the next self-update once it is gone.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../helpers/context.ts";
import { pathsFor } from "../../../src/config/paths.ts";
import { fakeBinary, makeRelease, receiptField, sha256, startReleaseServer, writeRunningHost } from "../../unit/self-update/fixtures.ts";

const repoRoot = join(import.meta.dir, "../../..");
const installScript = join(repoRoot, "installers", "install.sh");
const server = startReleaseServer([makeRelease("1.2.0"), makeRelease("1.3.0")], "1.3.0");
const root = mkdtempSync(join(tmpdir(), "fabstir-roundtrip-"));
afterAll(() => {
  server.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Runs install.sh (asynchronously: the release server answers from this same process). */
async function installer(name: string, args: string[], cpuFlags = "fpu sse4_2 avx2") {
  const dir = join(root, name);
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    FABSTIR_INSTALL_BASE: server.url,
    FABSTIR_INSTALL_DIR: join(dir, "bin"),
    FABSTIR_RECEIPT_DIR: join(dir, "receipt"),
    FABSTIR_INSTALL_UNAME_S: "Linux",
    FABSTIR_INSTALL_UNAME_M: "x86_64",
    FABSTIR_INSTALL_LIBC: "glibc",
    FABSTIR_INSTALL_CPU_FLAGS: cpuFlags,
    FABSTIR_INSTALL_EUID: "1000",
  };
  const child = Bun.spawn(["sh", installScript, ...args], { env, stdout: "pipe", stderr: "pipe", timeout: 30_000 });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  const result = { stdout, stderr, status };
  return { dir, binary: join(dir, "bin", "fabstir-host"), receipt: join(dir, "receipt", "install-receipt"), result };
}

function cliOptions(dir: string, binary: string, version: string) {
  return {
    env: { HOME: dir, NO_COLOR: "1", FABSTIR_RECEIPT_DIR: join(dir, "receipt"), FABSTIR_UPDATE_BASE: server.url },
    paths: pathsFor(join(dir, "fabstir")),
    build: { version, commit: "abc" },
    services: { selfUpdate: { execPath: binary } },
  };
}

describe.skipIf(!existsSync(installScript))("install.sh → self-update → install.sh --uninstall", () => {
  test("the receipt install.sh writes is read, kept in step, and still honoured by --uninstall", async () => {
    const installed = await installer("plain", ["--version", "1.2.0"]);
    expect(installed.result.status).toBe(0);
    expect(receiptField(installed.receipt, "asset")).toBe("fabstir-host-linux-x64");

    const update = await runCli(["self-update", "--yes", "--json"], cliOptions(installed.dir, installed.binary, "1.2.0"));
    expect(update.code).toBe(0);
    expect(update.json().data).toMatchObject({ action: "updated", channel: "script", to: "1.3.0", receiptUpdated: true });
    expect(readFileSync(installed.binary, "utf8")).toBe(fakeBinary("1.3.0"));
    expect(receiptField(installed.receipt, "sha256")).toBe(sha256(fakeBinary("1.3.0")));

    const removed = await installer("plain", ["--uninstall"]);
    expect(removed.result.stdout).toContain("Removed");
    expect(existsSync(installed.binary)).toBe(false);
    expect(existsSync(installed.receipt)).toBe(false);
  });

  test("the build the installer chose (baseline on a CPU without AVX2) is the one self-update fetches", async () => {
    const installed = await installer("baseline", ["--version", "1.2.0"], "fpu sse4_2");
    expect(receiptField(installed.receipt, "asset")).toBe("fabstir-host-linux-x64-baseline");
    const seen = server.paths.length;
    const update = await runCli(["self-update", "--yes", "--json"], cliOptions(installed.dir, installed.binary, "1.2.0"));
    expect(update.json().data.asset).toBe("fabstir-host-linux-x64-baseline");
    expect(server.paths.slice(seen)).toContain("/download/v1.3.0/fabstir-host-linux-x64-baseline");
  });

  test("staged while a host process runs, applied by the next self-update once it has stopped", async () => {
    const installed = await installer("daemon", ["--version", "1.2.0"]);
    const options = cliOptions(installed.dir, installed.binary, "1.2.0");
    const host = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      writeRunningHost(options.paths.runDir, host.pid!);
      const staged = await runCli(["self-update", "--yes", "--json"], options);
      expect(staged.json().data).toMatchObject({ action: "staged", runningHost: { pid: host.pid } });
      expect(readFileSync(installed.binary, "utf8")).toBe(fakeBinary("1.2.0"));
    } finally {
      host.kill("SIGKILL");
      await new Promise((resolve) => host.once("exit", resolve));
    }
    const seen = server.paths.length;
    const applied = await runCli(["self-update", "--yes", "--json"], options);
    expect(applied.json().data).toMatchObject({ action: "updated", to: "1.3.0", receiptUpdated: true });
    expect(server.paths.slice(seen)).toEqual(["/latest/download/latest.json"]); // the staged file was used
    expect(readFileSync(installed.binary, "utf8")).toBe(fakeBinary("1.3.0"));
    expect(existsSync(`${installed.binary}.next`)).toBe(false);
  });
});
