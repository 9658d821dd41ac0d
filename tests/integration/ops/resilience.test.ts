/**
 * Running for months: a full disk and a deleted logs directory must not stop the host, and must be said.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createComponentLogger } from "../../../src/ops/logging/logger.ts";
import { createHostMetrics } from "../../../src/ops/metrics/host-metrics.ts";
import { HealthState } from "../../../src/ops/http/health-state.ts";
import { startOpsServer } from "../../../src/ops/http/ops-server.ts";
import { resetLogHealth } from "../../../src/ops/logging/log-health.ts";
import { openFsLogFile, type OpenLogFile } from "../../../src/ops/logging/log-file-handle.ts";
import { Capture } from "../../helpers/context.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  resetLogHealth();
});

const linuxOnly = process.platform === "linux" && existsSync("/dev/full") ? test : test.skip;

describe("resilience", () => {
  linuxOnly("disk full (a log file on /dev/full): the host keeps serving, says so once, shows it in metrics, recovers", async () => {
    const root = mkdtempSync(join(tmpdir(), "fabstir-full-"));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const logsDir = join(root, "logs");
    mkdirSync(logsDir);
    // Every write answers ENOSPC, as on a full disk: the file is opened on /dev/full (a symlink to it would now be
    // refused, as every link in the state directory is).
    let full = true;
    const openFile: OpenLogFile = (path) => openFsLogFile(full ? "/dev/full" : path);
    const stderr = new Capture();
    const logger = createComponentLogger({ logsDir }, "node", { level: "info", maxSizeMb: 1, maxFiles: 2 }, { stderr, retryMs: 0, openFile });
    const server = startOpsServer({ listen: "127.0.0.1:0", metrics: createHostMetrics({ build: { version: "t", commit: "t" } }), health: new HealthState() });
    cleanups.push(() => server.stop());
    cleanups.push(() => logger.close());

    for (let i = 0; i < 20; i++) logger.info(`token chunk ${i}`);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const scraped = await (await fetch(`${server.url}/metrics`)).text();
    expect(scraped).toContain('fabstir_host_log_write_failing{component="node"} 1');
    expect(scraped).toContain("fabstir_host_log_lines_dropped_total 20");
    expect(stderr.text().match(/cannot write the node log .*ENOSPC/g)?.length).toBe(1);

    full = false; // space again
    logger.info("after the disk was freed");
    expect(stderr.text()).toContain("writing the node log again; 20 line(s) were lost");
    expect(readFileSync(join(logsDir, "node.log"), "utf8")).toContain("after the disk was freed");
    expect(await (await fetch(`${server.url}/metrics`)).text()).not.toContain('fabstir_host_log_write_failing{component="node"} 1');
  });

  test("logs directory deleted under a running process: it is recreated, writing and serving go on", async () => {
    const root = mkdtempSync(join(tmpdir(), "fabstir-rmdir-"));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const logsDir = join(root, "logs");
    const child: ChildProcess = spawn(process.execPath, [join(import.meta.dir, "log-writer.fixture.ts"), logsDir], { stdio: ["ignore", "pipe", "pipe"] });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 3000).unref();
        }),
    );
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /ready (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once("exit", (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
    });
    await Bun.sleep(150);
    expect(existsSync(join(logsDir, "front.log"))).toBe(true);

    rmSync(logsDir, { recursive: true, force: true });
    await Bun.sleep(300);

    expect(existsSync(join(logsDir, "front.log"))).toBe(true);
    const lines = readFileSync(join(logsDir, "front.log"), "utf8").trim().split("\n");
    expect(lines.length).toBeGreaterThan(3);
    expect(stderr.match(/the front log file disappeared/g)?.length).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(child.exitCode).toBeNull();
  });
});
