import { describe, expect, test } from "bun:test";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { makeTestContext, runCli } from "../../helpers/context.ts";

const entry = (timestamp: string, component: string, level: string, message: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ timestamp, level, component, message, ...extra }) + "\n";

function contextWithLogs() {
  const context = makeTestContext();
  const logsDir = context.paths.logsDir;
  mkdirSync(logsDir, { recursive: true });
  writeFileSync(
    join(logsDir, "proofs-2026-07-01.1.log.gz"),
    gzipSync(entry("2026-07-01T10:00:00.000Z", "proofs", "error", "proof reverted", { jobId: "5", sessionId: "s5" })),
  );
  writeFileSync(join(logsDir, "proofs.log"), entry("2026-07-02T10:00:00.000Z", "proofs", "info", "proof submitted", { jobId: "6", txHash: "0xabc" }));
  writeFileSync(
    join(logsDir, "node.log"),
    entry("2026-07-02T09:00:00.000Z", "node", "warn", "slow token", { sessionId: "s6" }) + entry("2026-07-02T11:00:00.000Z", "node", "debug", "chunk"),
  );
  return context;
}

describe("fabstir-host logs", () => {
  test("prints the newest lines of every component, readable and colourless in a pipe", async () => {
    const { code, stdout } = await runCli(["logs", "-n", "2", "--component", "proofs,node"], contextWithLogs());
    expect(code).toBe(0);
    expect(stdout).toBe(
      "2026-07-02T10:00:00.000Z  INFO   proofs      proof submitted  jobId=6 txHash=0xabc\n" + "2026-07-02T11:00:00.000Z  DEBUG  node        chunk\n",
    );
    expect(stdout).not.toContain("\u001b[");
  });

  test("--json: one envelope with the entries; filters combine", async () => {
    const result = await runCli(
      [
        "logs",
        "--json",
        "--level",
        "warn",
        "--since",
        "2026-07-01T00:00:00Z",
        "--until",
        "2026-07-02T09:30:00Z",
        "--component",
        "proofs",
        "--component",
        "node",
      ],
      contextWithLogs(),
    );
    expect(result.code).toBe(0);
    const body = result.json();
    expect(body.ok).toBe(true);
    expect(body.data.entries.map((e: { message: string }) => e.message)).toEqual(["proof reverted", "slow token"]);
    const bySession = (await runCli(["logs", "--json", "--session", "s5"], contextWithLogs())).json();
    expect(bySession.data.entries.map((e: { jobId: string }) => e.jobId)).toEqual(["5"]);
    const byJob = (await runCli(["logs", "--json", "--job", "6"], contextWithLogs())).json();
    expect(byJob.data.count).toBe(1);
  });

  test("a malformed --since is a usage error with a hint", async () => {
    const result = await runCli(["logs", "--since", "last tuesday"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error FH0600");
    expect(result.stderr).toContain("Try: fabstir-host logs --since 2h");
  });

  test("no logs yet says so", async () => {
    const result = await runCli(["logs"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("No log lines yet");
    expect((await runCli(["logs", "--component", "front"], contextWithLogs())).stdout).toContain("No log lines match these filters");
  });

  test("-f --json streams one JSON entry per line and stops when interrupted", async () => {
    const context = contextWithLogs();
    const controller = new AbortController();
    context.services = { ...context.services, interrupt: controller.signal, logsPollMs: 10 };
    const running = runCli(["logs", "-f", "--json", "-n", "1", "--component", "proofs"], context);
    await Bun.sleep(60);
    appendFileSync(join(context.paths.logsDir, "proofs.log"), entry("2026-07-02T12:00:00.000Z", "proofs", "info", "live line", { sessionId: "s7" }));
    await Bun.sleep(80);
    controller.abort();
    const { code, stdout } = await running;
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.message)).toEqual(["proof submitted", "live line"]);
  });
});

describe("fabstir-host logs export", () => {
  test("writes the archive where asked, with a doctor report when one is available", async () => {
    const context = contextWithLogs();
    context.fetch = () => Promise.reject(new Error("offline")); // no network in tests
    const out = join(context.homeDir, "report.tar.gz");
    const result = await runCli(["logs", "export", out, "--json"], context);
    expect(result.code).toBe(0);
    expect(result.json().data).toMatchObject({ file: out, doctor: "included", config: false });
    expect(result.json().data.logFiles).toContain("logs/proofs-2026-07-01.1.log");
    expect(existsSync(out)).toBe(true);
  });

  test("runs the real doctor command in-process by default", async () => {
    // No network in tests: every outside request the doctor makes fails at once.
    const context = makeTestContext({ fetch: () => Promise.reject(new Error("offline")) });
    const result = await runCli(["logs", "export"], context);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Archive\s+\S+fabstir-host-report-\d{8}T\d{6}Z\.tar\.gz/);
    expect(result.stdout).toMatch(/Doctor\s+(included|not available in this build)/);
    expect(readFileSync(join(context.cwd, result.stdout.match(/fabstir-host-report-\S+\.tar\.gz/)![0])).length).toBeGreaterThan(0);
  });
});
