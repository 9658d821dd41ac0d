import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderSystemdDropIn, renderSystemdUnit, systemdWord } from "../../../../src/daemon/service/systemd-unit.ts";
import { renderLaunchdPlist } from "../../../../src/daemon/service/launchd-plist.ts";
import { renderWindowsTask, windowsArg } from "../../../../src/daemon/service/windows-task.ts";
import { managedState, writeManaged, readText } from "../../../../src/daemon/service/managed-file.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const directives = (text: string) => text.split("\n").filter((l) => l && !l.startsWith("#") && !l.startsWith("["));

describe("systemd unit", () => {
  test("system unit: foreground start, restart on failure, hardening, dedicated user, GPU kept reachable", () => {
    const unit = renderSystemdUnit({
      scope: "system",
      execStart: ["/usr/local/bin/fabstir-host", "start"],
      user: "fabstir",
      nvidiaModprobe: "/usr/bin/nvidia-modprobe",
    });
    const lines = directives(unit);
    for (const expected of [
      "Type=simple",
      "ExecStart=/usr/local/bin/fabstir-host start",
      "Restart=on-failure",
      "RestartSec=5",
      "User=fabstir",
      "Group=fabstir",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "ProtectHome=read-only",
      "PrivateTmp=yes",
      "ProtectKernelTunables=yes",
      "RestrictSUIDSGID=yes",
      "LockPersonality=yes",
      "WantedBy=multi-user.target",
      "After=network-online.target",
      "ExecStartPre=-+/usr/bin/nvidia-modprobe -u -c=0",
      "ExecReload=/bin/kill -HUP $MAINPID",
    ])
      expect(lines).toContain(expected);
    expect(unit).not.toMatch(/^PrivateDevices=/m);
    expect(unit).not.toMatch(/^DevicePolicy=/m);
    expect(unit.split("\n")[0]).toMatch(/^# fabstir-host managed sha256=[0-9a-f]{64}/);
    expect(managedState(unit)).toBe("ours");
  });

  test("user unit: no user switch, no namespace options, default.target", () => {
    const unit = renderSystemdUnit({ scope: "user", execStart: ["/opt/fh/fabstir-host", "start"], nvidiaModprobe: "/usr/bin/nvidia-modprobe" });
    expect(unit).not.toMatch(/^User=/m);
    expect(unit).not.toMatch(/^ProtectSystem=/m);
    expect(unit).not.toMatch(/^ExecStartPre=/m);
    expect(unit).toMatch(/^WantedBy=default\.target$/m);
    expect(unit).toMatch(/^NoNewPrivileges=yes$/m);
  });

  test("drop-in: state directory, credential, restart delay", () => {
    const dropIn = renderSystemdDropIn({ scope: "system", home: "/var/lib/fabstir-host", restartSec: 10, credentialFile: "/etc/fabstir-host/password" });
    expect(directives(dropIn)).toEqual([
      "Environment=FABSTIR_HOME=/var/lib/fabstir-host",
      "RestartSec=10",
      "ReadWritePaths=/var/lib/fabstir-host",
      "LoadCredential=fabstir-password:/etc/fabstir-host/password",
    ]);
    const user = renderSystemdDropIn({ scope: "user", home: "/home/a b/.fabstir/host", restartSec: 5, credentialFile: null });
    expect(user).toContain('Environment="FABSTIR_HOME=/home/a b/.fabstir/host"');
    expect(user).not.toContain("LoadCredential");
    expect(user).not.toContain("ReadWritePaths");
  });

  test("quoting: spaces, quotes, specifiers and variables", () => {
    expect(systemdWord("/usr/bin/fabstir-host")).toBe("/usr/bin/fabstir-host");
    expect(systemdWord("/opt/my dir/bin")).toBe('"/opt/my dir/bin"');
    expect(systemdWord("100%")).toBe("100%%");
    expect(systemdWord("$HOME")).toBe("$$HOME");
    expect(systemdWord('a"b')).toBe('"a\\"b"');
  });
});

describe("managed files", () => {
  test("ours is replaced, an edited file is left alone", () => {
    const dir = mkdtempSync(join(tmpdir(), "fabstir-managed-"));
    dirs.push(dir);
    const path = join(dir, "unit.service");
    const v1 = renderSystemdUnit({ scope: "user", execStart: ["/a", "start"] });
    const v2 = renderSystemdUnit({ scope: "user", execStart: ["/b", "start"] });
    expect(writeManaged(path, v1).action).toBe("created");
    expect(writeManaged(path, v1).action).toBe("unchanged");
    expect(writeManaged(path, v2).action).toBe("updated");
    writeFileSync(path, readFileSync(path, "utf8").replace("RestartSec=5", "RestartSec=1"));
    expect(managedState(readText(path))).toBe("edited");
    expect(writeManaged(path, v1).action).toBe("kept-edited");
    expect(readFileSync(path, "utf8")).toContain("RestartSec=1");
    writeFileSync(path, "[Service]\nExecStart=/mine\n");
    expect(writeManaged(path, v1).action).toBe("kept-edited");
  });
});

describe("launchd and Windows", () => {
  test("plist: KeepAlive on crash, logs in the logs directory, escaped values", () => {
    const plist = renderLaunchdPlist({
      programArguments: ["/Applications/Fab & Co/fabstir-host", "start"],
      home: "/Users/me/.fabstir/host",
      logsDir: "/Users/me/.fabstir/host/logs",
    });
    expect(plist.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- fabstir-host managed sha256=')).toBe(true);
    expect(plist).toContain("<key>KeepAlive</key>\n    <dict>\n      <key>SuccessfulExit</key>\n      <false/>");
    expect(plist).toContain("<string>/Applications/Fab &amp; Co/fabstir-host</string>");
    expect(plist).toContain("<string>/Users/me/.fabstir/host/logs/launchd-stderr.log</string>");
    expect(managedState(plist)).toBe("ours");
  });

  test("scheduled task: restart on failure, no time limit, state dir on the command line", () => {
    const xml = renderWindowsTask({
      scope: "user",
      command: "C:\\Program Files\\fabstir\\fabstir-host.exe",
      arguments: ["start", "--config-dir", "C:\\Users\\me\\fabstir host"],
      home: "C:\\Users\\me\\fabstir host",
      userId: "PC\\me",
    });
    expect(xml).toContain("<RestartOnFailure>");
    expect(xml).toContain("<ExecutionTimeLimit>PT0S</ExecutionTimeLimit>");
    expect(xml).toContain("<LogonTrigger>");
    expect(xml).toContain("<Arguments>start --config-dir &quot;C:\\Users\\me\\fabstir host&quot;</Arguments>");
    expect(renderWindowsTask({ scope: "system", command: "x.exe", arguments: ["start"], home: "C:\\h" })).toContain("<UserId>S-1-5-18</UserId>");
    expect(windowsArg('a "b"')).toBe('"a \\"b\\""');
    expect(windowsArg("C:\\dir\\")).toBe("C:\\dir\\");
    expect(windowsArg("C:\\my dir\\")).toBe('"C:\\my dir\\\\"');
  });
});

describe("systemd unit: the node's internal port", () => {
  test("the unit says how to close node.internalPort (the node binds 0.0.0.0, fabstir-llm-node@85a87b8 src/main.rs:329)", () => {
    for (const scope of ["system", "user"] as const) {
      const unit = renderSystemdUnit({ scope, execStart: ["/usr/local/bin/fabstir-host", "start"] });
      expect(unit).toContain("# fabstir-llm-node listens on 0.0.0.0 at node.internalPort");
      expect(unit).toContain("--dport 8081 ! -i lo -j DROP");
    }
  });
});
