import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readDaemonState } from "../../../src/daemon/pid-file.ts";
import { isProcessAlive, killGroup, makeHostDir, readProcText, TEST_KEY, type HostDir } from "../supervisor/helpers.ts";
import { cli } from "./cli.ts";

let dir: HostDir | undefined;
afterAll(() => {
  if (!dir) return;
  const state = readDaemonState(dir.paths);
  if (state.status !== "not-running" && state.record) {
    if (isProcessAlive(state.record.pid)) process.kill(state.record.pid, "SIGKILL");
    killGroup(state.record.node?.pgid);
  }
  dir.cleanup();
});

describe('start --daemon with node.signer "node"', () => {
  test("the key is unlocked in the CLI and reaches the node's environment only: not argv, not the daemon's env, not a log", async () => {
    dir = await makeHostDir({ signer: "node" });
    const passwordFile = join(dir.root, "pw.txt");
    writeFileSync(passwordFile, "correct horse battery staple 9\n", { mode: 0o600 });
    const imported = await cli(["wallet", "import", "--stdin", "--backend", "keystore", "--password-file", passwordFile, "--config-dir", dir.home], {
      stdin: `${TEST_KEY}\n`,
    });
    expect(imported.code).toBe(0);

    const started = await cli(["start", "--daemon", "--json", "--password-file", passwordFile, "--config-dir", dir.home]);
    expect(started.code).toBe(0);
    const { pid, nodePid } = started.json().data;
    const bare = TEST_KEY.slice(2);

    // Exposure, by design: the node's environment holds the key (readable by this user and root via /proc/<pid>/environ).
    expect(readProcText(nodePid, "environ")).toContain(`HOST_PRIVATE_KEY=${TEST_KEY}`);
    expect(readProcText(nodePid, "cmdline")).not.toContain(bare);
    // The daemon got it through a pipe: not in its argv, not in its environment.
    expect(readProcText(pid, "cmdline")).not.toContain(bare);
    expect(readProcText(pid, "environ")).not.toContain(bare);
    expect(started.stdout + started.stderr).not.toContain(bare);

    const stopped = await cli(["stop", "--config-dir", dir.home]);
    expect(stopped.code).toBe(0);
    for (const file of readdirSync(dir.paths.logsDir)) {
      expect(readFileSync(join(dir.paths.logsDir, file), "utf8")).not.toContain(bare);
    }
    expect(readFileSync(join(dir.home, "config.json"), "utf8")).not.toContain(bare);
  }, 30_000);
});
