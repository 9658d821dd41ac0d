/**
 * `service install|uninstall|status` against fake systemctl, loginctl, id, useradd and chown scripts on PATH: real
 * child processes that record their arguments, with unit files written under a temporary directory.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestContext, runCli } from "../../helpers/context.ts";
import { Warnings } from "../../../src/errors/codes/index.ts";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function fakeTools() {
  const root = mkdtempSync(join(tmpdir(), "fabstir-service-"));
  roots.push(root);
  const bin = join(root, "bin");
  mkdirSync(bin);
  const calls = join(root, "calls.log");
  const record = `echo "\${0##*/} $*" >> "${calls}"`;
  const tools: Record<string, string> = {
    systemctl: `${record}
case "$*" in
  *"show fabstir-host.service"*) printf 'LoadState=loaded\\nActiveState=active\\nSubState=running\\nUnitFileState=enabled\\nMainPID=4242\\nNRestarts=3\\nActiveEnterTimestamp=Wed 2026-07-01 10:00:00 UTC\\n' ;;
  "--version") echo "systemd 252 (252.22-1)" ;;
esac
exit 0`,
    loginctl: `${record}\nexit 0`,
    id: `${record}\n[ -f "${root}/user-created" ] && echo 999 && exit 0\nexit 1`,
    useradd: `${record}\n: > "${root}/user-created"\nexit 0`,
    chown: `${record}\nexit 0`,
  };
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const unitDir = join(root, "units");
  const read = () => (existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : []);
  const reset = () => rmSync(calls, { force: true });
  return { root, bin, unitDir, calls: read, reset };
}

function serviceContext(tools: ReturnType<typeof fakeTools>, isRoot: boolean, path = tools.bin) {
  const context = makeTestContext();
  context.env = { HOME: context.homeDir, PATH: path, NO_COLOR: "1", USER: "alice" };
  context.services = {
    ...context.services,
    serviceHost: { platform: "systemd", isRoot, username: "alice", uid: isRoot ? 0 : 1000, exists: () => false },
    serviceExecStart: ["/usr/local/bin/fabstir-host", "start"],
  };
  return context;
}

describe("fabstir-host service (systemd)", () => {
  test("per-user install, re-install, an edited unit kept, status and uninstall", async () => {
    const tools = fakeTools();
    const context = serviceContext(tools, false);
    const unit = join(tools.unitDir, "fabstir-host.service");
    const dropIn = join(tools.unitDir, "fabstir-host.service.d", "10-fabstir.conf");

    const installed = await runCli(["service", "install", "--unit-dir", tools.unitDir], context);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain("Installed the systemd user service.");
    expect(tools.calls()).toEqual([
      "systemctl --version",
      "systemctl --user daemon-reload",
      "systemctl --user try-restart fabstir-host.service",
      "systemctl --user enable --now fabstir-host.service",
      "loginctl enable-linger alice",
    ]);
    expect(readFileSync(unit, "utf8")).toContain("ExecStart=/usr/local/bin/fabstir-host start");
    expect(readFileSync(dropIn, "utf8")).toContain(`Environment=FABSTIR_HOME=${context.paths.home}`);

    // Again, nothing changed: nothing rewritten, no restart.
    tools.reset();
    const again = await runCli(["service", "install", "--unit-dir", tools.unitDir, "--json"], context);
    expect(again.json().data.files.map((f: { action: string }) => f.action)).toEqual(["unchanged", "unchanged"]);
    // Warnings carry their stable codes, in the envelope as every command's do and in the result itself.
    expect(again.json().warnings).toEqual(
      expect.arrayContaining([{ code: Warnings.SERVICE_SETUP.code, message: expect.stringContaining("node.internalPort") }]),
    );
    expect(again.json().data.warnings.map((w: { code: string }) => w.code)).toContain(Warnings.SERVICE_SETUP.code);
    expect(tools.calls()).not.toContain("systemctl --user try-restart fabstir-host.service");

    // A person edits the unit: it is left alone, with a warning; our drop-in is still ours to update.
    writeFileSync(unit, readFileSync(unit, "utf8").replace("RestartSec=5", "RestartSec=30"));
    const edited = await runCli(["service", "install", "--unit-dir", tools.unitDir, "--restart-sec", "9"], context);
    expect(edited.code).toBe(0);
    expect(edited.stderr).toContain(`warning ${Warnings.UNIT_EDITED.code}:`);
    expect(edited.stderr).toContain("was changed by hand, so it was left as it is");
    expect(readFileSync(unit, "utf8")).toContain("RestartSec=30");
    expect(readFileSync(dropIn, "utf8")).toContain("RestartSec=9");

    const status = await runCli(["service", "status", "--user", "--unit-dir", tools.unitDir, "--json"], context);
    expect(status.json().data).toMatchObject({
      installed: true,
      edited: true,
      enabled: true,
      active: true,
      state: "active (running)",
      mainPid: 4242,
      restarts: 3,
    });
    const statusText = await runCli(["service", "status", "--user", "--unit-dir", tools.unitDir], context);
    expect(statusText.stdout).toMatch(/Running\s+yes/);

    tools.reset();
    const removed = await runCli(["service", "uninstall", "--user", "--unit-dir", tools.unitDir], context);
    expect(removed.code).toBe(0);
    expect(existsSync(dropIn)).toBe(false);
    expect(existsSync(unit)).toBe(true); // edited by hand: kept without --force
    expect(removed.stderr).toContain(`warning ${Warnings.UNIT_EDITED.code}:`);
    expect(removed.stderr).toContain("--force");
    expect(tools.calls()).toEqual([
      "systemctl --user disable --now fabstir-host.service",
      "systemctl --user daemon-reload",
      "systemctl --user reset-failed fabstir-host.service",
    ]);
    const forced = await runCli(["service", "uninstall", "--user", "--unit-dir", tools.unitDir, "--force"], context);
    expect(forced.code).toBe(0);
    expect(existsSync(unit)).toBe(false);
    const gone = await runCli(["service", "uninstall", "--user", "--unit-dir", tools.unitDir], context);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain("error FH0634");
  });

  test("system install as root: service user, state ownership, password as a credential", async () => {
    const tools = fakeTools();
    const context = serviceContext(tools, true);
    const passwordFile = join(tools.root, "password.txt");
    writeFileSync(passwordFile, "correct horse battery staple\n");
    const credentialFile = join(tools.root, "etc", "fabstir-host", "password");
    const home = join(tools.root, "var-lib-fabstir-host");
    const result = await runCli(
      [
        "service",
        "install",
        "--system",
        "--unit-dir",
        tools.unitDir,
        "--config-dir",
        home,
        "--password-file",
        passwordFile,
        "--credential-file",
        credentialFile,
        "--no-start",
      ],
      context,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("running as fabstir");
    expect(tools.calls()).toEqual([
      "systemctl --version",
      "id -u fabstir",
      `useradd --system --user-group --home-dir ${home} --no-create-home --shell /usr/sbin/nologin fabstir`,
      `chown -R fabstir:fabstir ${home}`,
      "systemctl daemon-reload",
      "systemctl enable fabstir-host.service",
    ]);
    expect(readFileSync(credentialFile, "utf8")).toBe("correct horse battery staple\n");
    expect(statSync(credentialFile).mode & 0o777).toBe(0o600);
    const unit = readFileSync(join(tools.unitDir, "fabstir-host.service"), "utf8");
    expect(unit).toContain("User=fabstir");
    expect(unit).toContain("ProtectSystem=strict");
    const dropIn = readFileSync(join(tools.unitDir, "fabstir-host.service.d", "10-fabstir.conf"), "utf8");
    expect(dropIn).toContain(`LoadCredential=fabstir-password:${credentialFile}`);
    expect(dropIn).toContain(`ReadWritePaths=${home}`);
    // The password itself went nowhere else: not in argv, not in output.
    expect(tools.calls().join("\n") + result.stdout + result.stderr).not.toContain("horse");

    // The user exists now: a second install does not create it again.
    tools.reset();
    await runCli(
      ["service", "install", "--system", "--unit-dir", tools.unitDir, "--config-dir", home, "--credential-file", credentialFile, "--no-start"],
      context,
    );
    expect(tools.calls().filter((c) => c.startsWith("useradd"))).toEqual([]);
  });

  test("a system service without root, or a machine without systemctl, is refused clearly", async () => {
    const tools = fakeTools();
    const notRoot = await runCli(["service", "install", "--system"], serviceContext(tools, false));
    expect(notRoot.code).toBe(2);
    expect(notRoot.stderr).toContain("error FH0631");
    expect(notRoot.stderr).toContain("sudo fabstir-host service install --system");
    const empty = join(tools.root, "empty-bin");
    mkdirSync(empty);
    const noSystemd = await runCli(["service", "install", "--unit-dir", tools.unitDir], serviceContext(tools, false, empty));
    expect(noSystemd.code).toBe(1);
    expect(noSystemd.stderr).toContain("error FH0630");
    const status = await runCli(["service", "status", "--user", "--unit-dir", join(tools.root, "none")], serviceContext(tools, false));
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("No fabstir-host user service is installed");
  });
});
