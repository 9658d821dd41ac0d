import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createComponentLogger, createFileLogger, createNullLogger } from "../../../../src/ops/logging/logger.ts";
import { openFsLogFile } from "../../../../src/ops/logging/log-file-handle.ts";
import { logHealthSnapshot, resetLogHealth } from "../../../../src/ops/logging/log-health.ts";
import { forgetSecrets, registerSecret } from "../../../../src/util/redact.ts";
import { Capture } from "../../../helpers/context.ts";

const dirs: string[] = [];
const tempLogs = () => {
  const dir = mkdtempSync(join(tmpdir(), "fabstir-log-"));
  dirs.push(dir);
  return join(dir, "logs");
};
afterEach(() => {
  forgetSecrets();
  resetLogHealth();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const lines = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
const logging = { level: "info" as const, maxSizeMb: 1, maxFiles: 3 };

describe("component logger", () => {
  test("writes JSON lines with timestamp, level, component, message first and the correlation ids", async () => {
    const logsDir = tempLogs();
    const now = Date.parse("2026-07-01T12:00:00.000Z");
    const logger = createComponentLogger({ logsDir }, "proofs", logging, { now: () => now });
    logger.child({ sessionId: "s-1" }).info("proof submitted", { jobId: 42n, txHash: "0xabc", tokens: 1000 });
    await logger.close();
    const [entry] = lines(join(logsDir, "proofs.log"));
    expect(Object.keys(entry).slice(0, 7)).toEqual(["timestamp", "level", "component", "message", "sessionId", "jobId", "txHash"]);
    expect(entry).toMatchObject({
      timestamp: "2026-07-01T12:00:00.000Z",
      level: "info",
      component: "proofs",
      message: "proof submitted",
      sessionId: "s-1",
      jobId: "42",
      txHash: "0xabc",
      tokens: 1000,
    });
    expect(logger.filePath).toBe(join(logsDir, "proofs.log"));
  });

  test("every line passes the redactor: registered secrets, secret-named fields, mnemonics", async () => {
    const logsDir = tempLogs();
    registerSecret("0x" + "ab".repeat(32));
    const logger = createComponentLogger({ logsDir }, "chain", logging);
    logger.error(`signing with ${"0x" + "ab".repeat(32)}`, {
      password: "hunter2hunter2",
      nested: { privateKey: "0x1234" },
      note: "abandon ".repeat(11) + "about",
    });
    await logger.close();
    const text = readFileSync(join(logsDir, "chain.log"), "utf8");
    expect(text).not.toContain("ab".repeat(32));
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("0x1234");
    expect(text).not.toContain("abandon abandon");
    expect(text).toContain("[REDACTED]");
  });

  test("levels below the configured one are not written", async () => {
    const logsDir = tempLogs();
    const logger = createComponentLogger({ logsDir }, "node", { ...logging, level: "warn" });
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    await logger.close();
    expect(lines(join(logsDir, "node.log")).map((e) => e.level)).toEqual(["warn", "error"]);
  });

  test("the foreground console copy is readable and colourless when asked", async () => {
    const logsDir = tempLogs();
    const console = new Capture();
    const logger = createComponentLogger({ logsDir }, "supervisor", logging, {
      console: { stream: console, color: false },
      now: () => Date.parse("2026-07-01T08:09:10.123Z"),
    });
    logger.info("node ready", { port: 8080 });
    await logger.close();
    expect(console.text()).toBe("08:09:10.123 INFO  supervisor node ready  port=8080\n");
  });

  test("a full disk is said once on stderr, counted, and the caller never sees an error", async () => {
    const logsDir = tempLogs();
    const stderr = new Capture();
    let full = true;
    const logger = createComponentLogger({ logsDir }, "front", logging, {
      stderr,
      retryMs: 0,
      openFile: (path) => {
        const real = openFsLogFile(path);
        return {
          ...real,
          write: (text) =>
            full
              ? (() => {
                  throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
                })()
              : real.write(text),
        };
      },
    });
    for (let i = 0; i < 5; i++) logger.info(`line ${i}`);
    expect(stderr.text().match(/cannot write the front log/g)?.length).toBe(1);
    expect(logHealthSnapshot()).toMatchObject({ droppedLines: 5, failing: ["front"] });
    full = false;
    logger.info("back");
    expect(stderr.text()).toContain("writing the front log again; 5 line(s) were lost");
    expect(logHealthSnapshot().failing).toEqual([]);
    await logger.close();
    expect(lines(join(logsDir, "front.log")).map((e) => e.message)).toEqual(["back"]);
  });

  test("createFileLogger keeps its signature and file; createNullLogger drops everything", async () => {
    const logsDir = tempLogs();
    const logger = createFileLogger({ logsDir, component: "cli", level: "debug" });
    logger.debug("hello");
    await logger.close();
    expect(lines(join(logsDir, "cli.log"))[0]).toMatchObject({ level: "debug", component: "cli", message: "hello" });
    const silent = createNullLogger();
    silent.error("nothing");
    expect(silent.child({ a: 1 })).toBe(silent);
    expect(silent.filePath).toBeUndefined();
  });

  test("two loggers of one component share one file and rotation", async () => {
    const logsDir = tempLogs();
    const a = createComponentLogger({ logsDir }, "proofs", logging);
    const b = createComponentLogger({ logsDir }, "proofs", logging);
    a.info("from a");
    b.info("from b");
    await a.close();
    b.info("b still writes");
    await b.close();
    expect(lines(join(logsDir, "proofs.log")).map((e) => e.message)).toEqual(["from a", "from b", "b still writes"]);
  });
});
