/** `self-update` for an install-script binary, against a local release site and a fake installed binary. */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { join } from "node:path";
import { runCli, type TestContextOptions } from "../../helpers/context.ts";
import { pathsFor } from "../../../src/config/paths.ts";
import { applyPendingUpdate, pendingUpdatePath } from "../../../src/self-update/pending.ts";
import {
  fakeBinary,
  makeInstall,
  makeRelease,
  receiptField,
  sha256,
  startReleaseServer,
  writeRunningHost,
  type FakeInstall,
} from "../../unit/self-update/fixtures.ts";
import { CoreErrors, ShipErrors } from "../../../src/errors/codes/index.ts";

const server = startReleaseServer([makeRelease("1.1.0"), makeRelease("1.2.0"), makeRelease("1.3.0")], "1.3.0");
afterAll(() => server.stop());

let install: FakeInstall;
afterEach(() => install?.cleanup());

function setup(version = "1.2.0"): FakeInstall {
  install = makeInstall({ version, baseUrl: server.url });
  return install;
}

function options(extra: Partial<TestContextOptions> = {}, version = "1.2.0"): TestContextOptions {
  return {
    env: install.env,
    paths: pathsFor(join(install.root, "home")),
    build: { version, commit: "abc" },
    services: { selfUpdate: { execPath: install.binary } },
    ...extra,
  };
}

describe("self-update (install script channel)", () => {
  test("updates to the latest version, keeps the old binary as .previous and rewrites the receipt", async () => {
    setup();
    const before = readFileSync(install.binary, "utf8");
    const result = await runCli(["self-update", "--yes", "--json"], options());
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data).toMatchObject({ action: "updated", channel: "script", from: "1.2.0", to: "1.3.0", asset: "fabstir-host-linux-x64", receiptUpdated: true });
    expect(readFileSync(install.binary, "utf8")).toBe(fakeBinary("1.3.0"));
    expect(readFileSync(`${install.binary}.previous`, "utf8")).toBe(before);
    expect(receiptField(install.receiptPath, "version")).toBe("1.3.0");
    expect(receiptField(install.receiptPath, "sha256")).toBe(sha256(fakeBinary("1.3.0")));
    expect(receiptField(install.receiptPath, "base_url")).toBe(server.url);
    expect(install.binDirEntries()).toEqual(["fabstir-host", "fabstir-host.previous"]);
  });

  test("is idempotent when already on the latest version (nothing downloaded)", async () => {
    setup("1.3.0");
    const seen = server.paths.length;
    const result = await runCli(["self-update", "--yes"], options({}, "1.3.0"));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("fabstir-host 1.3.0 is up to date");
    expect(server.paths.slice(seen)).toEqual(["/latest/download/latest.json"]);
    expect(install.binDirEntries()).toEqual(["fabstir-host"]);
  });

  test("installs a named older version (--version) and refuses a malformed one", async () => {
    setup();
    const down = await runCli(["self-update", "--version", "v1.1.0", "--yes", "--json"], options());
    expect(down.json().data).toMatchObject({ action: "updated", to: "1.1.0" });
    expect(readFileSync(install.binary, "utf8")).toBe(fakeBinary("1.1.0"));
    const bad = await runCli(["self-update", "--version", "latest-ish", "--yes", "--json"], options());
    expect(bad.code).toBe(2);
    expect(bad.json().error.code).toBe(ShipErrors.UPDATE_BAD_VERSION.code);
  });

  test("an unpublished --version is a clear error", async () => {
    setup();
    const result = await runCli(["self-update", "--version", "9.9.9", "--yes", "--json"], options());
    expect(result.code).toBe(2);
    expect(result.json().error.code).toBe(ShipErrors.UPDATE_RELEASE_NOT_FOUND.code);
  });

  test("a checksum mismatch leaves the installed binary untouched and deletes the download", async () => {
    const tampered = startReleaseServer([makeRelease("1.3.0", { tamper: true })], "1.3.0");
    try {
      install = makeInstall({ baseUrl: tampered.url });
      const before = readFileSync(install.binary, "utf8");
      const result = await runCli(["self-update", "--yes", "--json"], options());
      expect(result.code).toBe(1);
      expect(result.json().error.code).toBe(ShipErrors.UPDATE_CHECKSUM_MISMATCH.code);
      expect(readFileSync(install.binary, "utf8")).toBe(before);
      expect(install.binDirEntries()).toEqual(["fabstir-host"]);
      expect(receiptField(install.receiptPath, "version")).toBe("1.2.0");
    } finally {
      tampered.stop();
    }
  });

  test("a new binary that fails --version is refused", async () => {
    const broken = startReleaseServer([makeRelease("1.3.0", { broken: true })], "1.3.0");
    try {
      install = makeInstall({ baseUrl: broken.url });
      const before = readFileSync(install.binary, "utf8");
      const result = await runCli(["self-update", "--yes", "--json"], options());
      expect(result.code).toBe(1);
      expect(result.json().error).toMatchObject({ code: ShipErrors.UPDATE_NEW_BINARY_BROKEN.code });
      expect(result.json().error.message).toContain("libc.musl");
      expect(readFileSync(install.binary, "utf8")).toBe(before);
      expect(install.binDirEntries()).toEqual(["fabstir-host"]);
    } finally {
      broken.stop();
    }
  });

  test("--rollback swaps back to the previous binary, and again returns", async () => {
    setup();
    expect((await runCli(["self-update", "--yes"], options())).code).toBe(0);
    const back = await runCli(["self-update", "--rollback", "--yes", "--json"], options({}, "1.3.0"));
    expect(back.json().data).toMatchObject({ action: "rolled-back", from: "1.3.0", to: "1.2.0", receiptUpdated: true });
    expect(readFileSync(install.binary, "utf8")).toBe(fakeBinary("1.2.0"));
    expect(readFileSync(`${install.binary}.previous`, "utf8")).toBe(fakeBinary("1.3.0"));
    expect(receiptField(install.receiptPath, "version")).toBe("1.2.0");
    const forth = await runCli(["self-update", "--rollback", "--yes", "--json"], options());
    expect(forth.json().data).toMatchObject({ action: "rolled-back", to: "1.3.0" });
    expect(readFileSync(install.binary, "utf8")).toBe(fakeBinary("1.3.0"));
  });

  test("--rollback without a previous binary says so", async () => {
    setup();
    const result = await runCli(["self-update", "--rollback", "--yes", "--json"], options());
    expect(result.code).toBe(1);
    expect(result.json().error.code).toBe(ShipErrors.UPDATE_NO_PREVIOUS.code);
  });

  test("while a host runs from the binary, the update is staged, not swapped in; the host applies it later", async () => {
    setup();
    const context = options();
    writeRunningHost(context.paths!.runDir);
    const before = readFileSync(install.binary, "utf8");
    const result = await runCli(["self-update", "--yes"], context);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("not replaced mid-session");
    expect(readFileSync(install.binary, "utf8")).toBe(before);
    expect(readFileSync(`${install.binary}.next`, "utf8")).toBe(fakeBinary("1.3.0"));
    const pending = JSON.parse(readFileSync(pendingUpdatePath(context.paths!), "utf8"));
    expect(pending).toMatchObject({ kind: "update", version: "1.3.0", from: "1.2.0", binary: install.binary });

    const again = await runCli(["self-update", "--yes", "--json"], context);
    expect(again.json().data.action).toBe("staged");

    const applied = await applyPendingUpdate(context.paths!, install.binary);
    expect(applied).toMatchObject({ kind: "update", version: "1.3.0", receiptUpdated: true });
    expect(readFileSync(install.binary, "utf8")).toBe(fakeBinary("1.3.0"));
    expect(readFileSync(`${install.binary}.previous`, "utf8")).toBe(before);
    expect(existsSync(pendingUpdatePath(context.paths!))).toBe(false);
    expect(install.binDirEntries()).toEqual(["fabstir-host", "fabstir-host.previous"]);
    expect(await applyPendingUpdate(context.paths!, install.binary)).toBeNull();
  });

  test("--now replaces the binary under a running host, with a warning", async () => {
    setup();
    const context = options();
    writeRunningHost(context.paths!.runDir);
    const result = await runCli(["self-update", "--now", "--yes"], context);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("warning FH0903: --now");
    expect(result.stdout).toContain("still runs 1.2.0 until it restarts");
    expect(readFileSync(install.binary, "utf8")).toBe(fakeBinary("1.3.0"));
  });

  test.skipIf(process.getuid?.() !== 0)("a host running as a user who cannot replace the binary: replaced now, with a restart warning", async () => {
    setup();
    const context = options();
    writeRunningHost(context.paths!.runDir);
    chownSync(join(context.paths!.runDir, "host.pid"), 4242, 4242); // the service user, e.g. `fabstir`
    chmodSync(dirname(install.binary), 0o755);
    const result = await runCli(["self-update", "--yes", "--json"], context);
    expect(result.json().data).toMatchObject({ action: "updated", runningHost: { uid: 4242 }, stagingSkipped: expect.stringContaining("uid 4242") });
    expect(readFileSync(install.binary, "utf8")).toBe(fakeBinary("1.3.0"));
    expect(existsSync(`${install.binary}.next`)).toBe(false);
  });

  test.skipIf(process.getuid?.() === 0)("a binary directory this user cannot write is refused before downloading", async () => {
    setup();
    chmodSync(dirname(install.binary), 0o555);
    try {
      const result = await runCli(["self-update", "--yes", "--json"], options());
      expect(result.code).toBe(1);
      expect(result.json().error).toMatchObject({ code: ShipErrors.UPDATE_NOT_WRITABLE.code, hint: "Try: sudo fabstir-host self-update" });
      expect(server.paths.at(-1)).toBe("/latest/download/latest.json");
    } finally {
      chmodSync(dirname(install.binary), 0o755);
    }
  });

  test("--dry-run shows the plan and changes nothing", async () => {
    setup();
    const result = await runCli(["self-update", "--dry-run", "--json"], options());
    expect(result.json().data).toMatchObject({
      action: "dry-run",
      from: "1.2.0",
      to: "1.3.0",
      url: `${server.url}/download/v1.3.0/fabstir-host-linux-x64`,
      wouldStage: false,
    });
    expect(install.binDirEntries()).toEqual(["fabstir-host"]);
  });

  test("without a terminal and without --yes it refuses instead of prompting", async () => {
    setup();
    const result = await runCli(["self-update", "--json"], options());
    expect(result.code).toBe(2);
    expect(result.json().error.code).toBe(CoreErrors.NOT_INTERACTIVE.code);
    expect(readFileSync(install.binary, "utf8")).toBe(fakeBinary("1.2.0"));
  });

  test("--check reports without changing anything", async () => {
    setup();
    const result = await runCli(["self-update", "--check", "--json"], options());
    expect(result.code).toBe(0);
    expect(result.json().data).toMatchObject({
      channel: "script",
      current: "1.2.0",
      latest: "1.3.0",
      updateAvailable: true,
      command: "fabstir-host self-update",
      notes: "Faster proofs.",
    });
    const text = await runCli(["self-update", "--check"], options());
    expect(text.stdout).toContain("fabstir-host 1.3.0 is available (you have 1.2.0)");
    expect(install.binDirEntries()).toEqual(["fabstir-host"]);
  });

  test("--rollback with --version is a usage error", async () => {
    setup();
    const result = await runCli(["self-update", "--rollback", "--version", "1.1.0", "--json"], options());
    expect(result.code).toBe(2);
  });
});
