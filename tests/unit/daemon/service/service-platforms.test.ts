/** launchd and Task Scheduler code paths, with an in-memory runner standing in for launchctl and schtasks. */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installService, serviceStatus, uninstallService } from "../../../../src/daemon/service/service-manager.ts";
import type { ServiceHost, ServicePlatform } from "../../../../src/daemon/service/service-types.ts";
import type { RunResult } from "../../../../src/daemon/service/runner.ts";
import { OpsErrors, Warnings } from "../../../../src/errors/codes/index.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function host(platform: ServicePlatform, answers: Record<string, Partial<RunResult>> = {}) {
  const root = mkdtempSync(join(tmpdir(), "fabstir-platform-"));
  dirs.push(root);
  const calls: string[] = [];
  const machine: ServiceHost = {
    platform,
    isRoot: false,
    env: { USERDOMAIN: "PC" },
    homeDir: root,
    username: "me",
    uid: 501,
    exists: () => false,
    run: async (command, args) => {
      const line = [command, ...args].join(" ");
      calls.push(line);
      const answer = Object.entries(answers).find(([prefix]) => line.startsWith(prefix))?.[1];
      return { code: 0, stdout: "", stderr: "", ...answer };
    },
  };
  return { machine, calls, root };
}

describe("launchd", () => {
  test("install writes the LaunchAgent and bootstraps it; status reads launchctl print; uninstall boots it out", async () => {
    const { machine, calls, root } = host("launchd", {
      "launchctl print": { stdout: "gui/501/com.fabstir.host = {\n\tstate = running\n\tpid = 777\n\truns = 3\n}" },
    });
    const home = join(root, ".fabstir", "host");
    const result = await installService(machine, { home, logsDir: join(home, "logs"), execStart: ["/usr/local/bin/fabstir-host", "start"] });
    const plist = join(root, "Library", "LaunchAgents", "com.fabstir.host.plist");
    expect(result).toMatchObject({ platform: "launchd", scope: "user", started: true });
    expect(readFileSync(plist, "utf8")).toContain("<string>/usr/local/bin/fabstir-host</string>");
    expect(calls).toEqual(["launchctl bootout gui/501/com.fabstir.host", `launchctl bootstrap gui/501 ${plist}`]);
    expect(await serviceStatus(machine, { home })).toMatchObject({ installed: true, active: true, state: "running", mainPid: 777, restarts: 2 });
    const removed = await uninstallService(machine, { home });
    expect(removed.removed).toEqual([plist]);
    expect(existsSync(plist)).toBe(false);
    await expect(installService(machine, { scope: "system", home, logsDir: home, execStart: ["x"] })).rejects.toMatchObject({
      code: OpsErrors.SERVICE_UNSUPPORTED.code,
    });
  });
});

describe("Windows scheduled task", () => {
  test("install registers the XML (UTF-16) and runs it; status parses schtasks; uninstall ends and deletes", async () => {
    const { machine, calls, root } = host("windows", {
      "schtasks /Query /TN fabstir-host /FO LIST /V": {
        stdout: "TaskName: \\fabstir-host\r\nStatus: Running\r\nScheduled Task State: Enabled\r\n".replace(/\r/g, ""),
      },
    });
    const home = join(root, "fabstir");
    const result = await installService(machine, { home, logsDir: join(home, "logs"), execStart: ["C:\\fh\\fabstir-host.exe", "start"] });
    const xmlPath = join(home, "service", "fabstir-host.xml");
    expect(result).toMatchObject({ platform: "windows", scope: "user", started: true });
    const raw = readFileSync(xmlPath);
    expect([raw[0], raw[1]]).toEqual([0xff, 0xfe]);
    const xml = raw.toString("utf16le");
    expect(xml).toContain(`<Arguments>start --config-dir ${home}</Arguments>`);
    expect(xml).toContain("<UserId>PC\\me</UserId>");
    expect(calls).toEqual([`schtasks /Create /TN fabstir-host /XML ${xmlPath} /F`, "schtasks /Run /TN fabstir-host"]);
    expect(await serviceStatus(machine, { home })).toMatchObject({ installed: true, active: true, enabled: true, state: "Running" });
    calls.length = 0;
    const removed = await uninstallService(machine, { home });
    expect(calls).toEqual(["schtasks /Query /TN fabstir-host", "schtasks /End /TN fabstir-host", "schtasks /Delete /TN fabstir-host /F"]);
    expect(removed.removed).toEqual([xmlPath]);
  });

  test("an edited task file is registered as it is, with a warning", async () => {
    const { machine, root } = host("windows");
    const home = join(root, "fabstir");
    await installService(machine, { home, logsDir: home, execStart: ["a.exe", "start"], start: false });
    const xmlPath = join(home, "service", "fabstir-host.xml");
    writeFileSync(xmlPath, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?>\n<Task>mine</Task>\n', "utf16le")]));
    const again = await installService(machine, { home, logsDir: home, execStart: ["a.exe", "start"], start: false });
    expect(again.files[0]!.action).toBe("kept-edited");
    expect(again.warnings[0]).toEqual({ code: Warnings.UNIT_EDITED.code, message: expect.stringContaining("changed by hand") });
  });
});
