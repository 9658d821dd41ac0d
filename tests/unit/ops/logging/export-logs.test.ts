import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { extract } from "tar";
import { pathsFor } from "../../../../src/config/paths.ts";
import { DoctorUnavailable, exportLogs } from "../../../../src/ops/logging/export-logs.ts";
import { forgetSecrets, registerSecret } from "../../../../src/util/redact.ts";
import { OpsErrors } from "../../../../src/errors/codes/index.ts";

const dirs: string[] = [];
afterEach(() => {
  forgetSecrets();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup() {
  const root = mkdtempSync(join(tmpdir(), "fabstir-export-test-"));
  dirs.push(root);
  const paths = pathsFor(join(root, "home"));
  mkdirSync(paths.logsDir, { recursive: true });
  writeFileSync(
    join(paths.logsDir, "cli.log"),
    JSON.stringify({ timestamp: "2026-07-01T00:00:00Z", level: "info", component: "cli", message: "unlocked with sesame-open-42" }) + "\n",
  );
  writeFileSync(join(paths.logsDir, "node-2026-06-30.1.log.gz"), gzipSync('{"message":"HOST_PRIVATE_KEY=0xdeadbeef started"}\n'));
  writeFileSync(
    paths.configFile,
    JSON.stringify({ version: 1, network: "base-sepolia", alerts: { webhookUrl: "https://hooks.slack.com/services/T/B/x" }, apiToken: "tok-123456" }),
  );
  return { root, paths };
}

async function unpack(file: string, into: string): Promise<Record<string, string>> {
  mkdirSync(into, { recursive: true });
  await extract({ file, cwd: into });
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      if (name.isDirectory()) walk(join(dir, name.name), `${prefix}${name.name}/`);
      else out[`${prefix}${name.name}`] = readFileSync(join(dir, name.name), "utf8");
    }
  };
  walk(into, "");
  return out;
}

describe("logs export", () => {
  test("archives redacted logs (compressed ones too), redacted config, doctor output and a manifest", async () => {
    const { root, paths } = setup();
    registerSecret("sesame-open-42");
    const outFile = join(root, "out", "report.tar.gz");
    const result = await exportLogs({
      paths,
      outFile,
      now: Date.parse("2026-07-01T12:00:00Z"),
      build: { version: "1.2.3", commit: "abc" },
      doctor: async () => ({ ok: true, data: { checks: [{ name: "gpu", status: "pass" }], password: "x" } }),
    });
    expect(result).toMatchObject({ file: outFile, config: true, doctor: "included" });
    expect(result.logFiles.sort()).toEqual(["logs/cli.log", "logs/node-2026-06-30.1.log"]);
    expect(statSync(outFile).mode & 0o777).toBe(0o600);
    const files = await unpack(outFile, join(root, "unpacked"));
    expect(Object.keys(files).sort()).toEqual([
      "fabstir-host-report/config.json",
      "fabstir-host-report/doctor.json",
      "fabstir-host-report/logs/cli.log",
      "fabstir-host-report/logs/node-2026-06-30.1.log",
      "fabstir-host-report/manifest.json",
    ]);
    const all = Object.values(files).join("\n");
    expect(all).not.toContain("sesame-open-42");
    expect(all).not.toContain("0xdeadbeef");
    expect(all).not.toContain("tok-123456");
    expect(all).not.toContain("services/T/B/x");
    expect(JSON.parse(files["fabstir-host-report/config.json"]!).alerts.webhookUrl).toBe("https://hooks.slack.com/[REDACTED]");
    expect(JSON.parse(files["fabstir-host-report/doctor.json"]!).data.checks[0].name).toBe("gpu");
    expect(JSON.parse(files["fabstir-host-report/manifest.json"]!)).toMatchObject({ version: "1.2.3", commit: "abc", createdAt: "2026-07-01T12:00:00.000Z" });
  });

  test("without a doctor (or one this build lacks) a note file takes its place", async () => {
    const { root, paths } = setup();
    const none = await exportLogs({ paths, outFile: join(root, "a.tar.gz"), now: 0, build: { version: "1", commit: "c" } });
    expect(none.doctor).toBe("unavailable");
    const missing = await exportLogs({
      paths,
      outFile: join(root, "b.tar.gz"),
      now: 0,
      build: { version: "1", commit: "c" },
      doctor: async () => {
        throw new DoctorUnavailable("doctor is not available in this build.");
      },
    });
    expect(missing.doctor).toBe("unavailable");
    const failing = await exportLogs({
      paths,
      outFile: join(root, "c.tar.gz"),
      now: 0,
      build: { version: "1", commit: "c" },
      doctor: async () => {
        throw new Error("rpc down");
      },
    });
    expect(failing.doctor).toBe("failed");
    const files = await unpack(join(root, "c.tar.gz"), join(root, "c"));
    expect(files["fabstir-host-report/doctor-failed.txt"]).toContain("rpc down");
  });

  test("an unwritable destination is a clear error", async () => {
    const { root, paths } = setup();
    writeFileSync(join(root, "not-a-dir"), "");
    await expect(exportLogs({ paths, outFile: join(root, "not-a-dir", "x.tar.gz"), now: 0, build: { version: "1", commit: "c" } })).rejects.toMatchObject({
      code: OpsErrors.LOGS_EXPORT_FAILED.code,
    });
  });
});
