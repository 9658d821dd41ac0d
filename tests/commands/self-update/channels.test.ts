/** `self-update` for binaries the install script did not install: package managers, a source checkout, unknown. */
import type { UpgradeRunner } from "../../../src/self-update/package-manager.ts";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, type TestContextOptions } from "../../helpers/context.ts";
import type { RunOutcome } from "../../../src/self-update/package-manager.ts";
import { ShipErrors } from "../../../src/errors/codes/index.ts";

const root = mkdtempSync(join(tmpdir(), "fabstir-channels-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HOMEBREW_BINARY = "/opt/homebrew/Cellar/fabstir-host/1.2.0/bin/fabstir-host";
const WINGET_BINARY =
  "C:\\Users\\alice\\AppData\\Local\\Microsoft\\WinGet\\Packages\\Fabstir.FabstirHost_Microsoft.Winget.Source_8wekyb3d8bbwe\\fabstir-host.exe";

function fakeRunner(outcome: RunOutcome = { exitCode: 0 }) {
  const calls: Array<[string, string[]]> = [];
  const runner = async (command: string, args: string[]) => {
    calls.push([command, args]);
    return outcome;
  };
  return { calls, runner };
}

function options(execPath: string, runner: unknown, extra: Partial<TestContextOptions> = {}): TestContextOptions {
  return {
    // No receipt anywhere, and no release site: package-manager channels must not need either.
    env: { HOME: root, NO_COLOR: "1", FABSTIR_RECEIPT_DIR: join(root, "no-receipts") },
    build: { version: "1.2.0", commit: "abc" },
    services: { selfUpdate: { execPath, runner: runner as UpgradeRunner } },
    ...extra,
  };
}

describe("self-update through a package manager", () => {
  test("Homebrew: runs `brew upgrade fabstir-host`", async () => {
    const { calls, runner } = fakeRunner();
    const result = await runCli(["self-update", "--yes", "--json"], options(HOMEBREW_BINARY, runner));
    expect(result.code).toBe(0);
    expect(calls).toEqual([["brew", ["upgrade", "fabstir-host"]]]);
    expect(result.json().data).toMatchObject({ action: "delegated", channel: "homebrew", command: "brew upgrade fabstir-host", ran: true });
  });

  test("Homebrew --dry-run prints the command and runs nothing", async () => {
    const { calls, runner } = fakeRunner();
    const result = await runCli(["self-update", "--dry-run"], options(HOMEBREW_BINARY, runner));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("would run: brew upgrade fabstir-host");
    expect(calls).toEqual([]);
  });

  test("winget: runs `winget upgrade Fabstir.FabstirHost` (with --version when asked)", async () => {
    const { calls, runner } = fakeRunner();
    expect((await runCli(["self-update", "--yes"], options(WINGET_BINARY, runner))).code).toBe(0);
    expect((await runCli(["self-update", "--yes", "--version", "1.3.0"], options(WINGET_BINARY, runner))).code).toBe(0);
    expect(calls).toEqual([
      ["winget", ["upgrade", "Fabstir.FabstirHost"]],
      ["winget", ["upgrade", "Fabstir.FabstirHost", "--version", "1.3.0"]],
    ]);
  });

  test("a failing package manager is reported with its command", async () => {
    const { runner } = fakeRunner({ exitCode: 1 });
    const failed = await runCli(["self-update", "--yes", "--json"], options(HOMEBREW_BINARY, runner));
    expect(failed.code).toBe(1);
    expect(failed.json().error).toMatchObject({ code: ShipErrors.UPDATE_PACKAGE_MANAGER_FAILED.code });
    expect(failed.json().error.message).toContain("brew upgrade fabstir-host");
    const missing = await runCli(
      ["self-update", "--yes", "--json"],
      options(HOMEBREW_BINARY, fakeRunner({ exitCode: null, startError: "spawn brew ENOENT" }).runner),
    );
    expect(missing.json().error.message).toContain("could not be started");
  });

  test("Homebrew has no rollback for self-update to use", async () => {
    const { calls, runner } = fakeRunner();
    const result = await runCli(["self-update", "--rollback", "--yes", "--json"], options(HOMEBREW_BINARY, runner));
    expect(result.code).toBe(1);
    expect(result.json().error.code).toBe(ShipErrors.UPDATE_NO_PREVIOUS.code);
    expect(calls).toEqual([]);
  });
});

describe("self-update refuses what it cannot update", () => {
  test("a source checkout (`bun src/main.ts`) is pointed at git", async () => {
    const result = await runCli(["self-update", "--yes", "--json"], options(process.execPath, fakeRunner().runner));
    expect(result.code).toBe(2);
    expect(result.json().error).toMatchObject({ code: ShipErrors.UPDATE_FROM_SOURCE.code, hint: "Try: git pull && bun install" });
  });

  test("a binary with no receipt outside any package manager is left alone", async () => {
    const result = await runCli(["self-update", "--yes", "--json"], options(join(root, "somewhere", "fabstir-host"), fakeRunner().runner));
    expect(result.code).toBe(1);
    expect(result.json().error.code).toBe(ShipErrors.UPDATE_UNKNOWN_CHANNEL.code);
    expect(result.json().error.hint).toContain("install.sh");
  });
});
