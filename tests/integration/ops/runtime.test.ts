/** The operations runtime as `start` uses it: events in; metrics, readiness, alerts, summaries and logs out. */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathsFor } from "../../../src/config/paths.ts";
import { createOpsRuntime } from "../../../src/ops/runtime.ts";
import { tailLogs } from "../../../src/ops/logging/read-logs.ts";
import { startWebhookCapture } from "../../unit/ops/alerts/webhook-capture.ts";
import { Capture } from "../../helpers/context.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("ops runtime", () => {
  test("events reach the endpoint, the webhook and the daily summary; the clock may jump back", async () => {
    const root = mkdtempSync(join(tmpdir(), "fabstir-runtime-"));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const hook = startWebhookCapture();
    cleanups.push(() => hook.stop());
    const paths = pathsFor(join(root, "home"));
    const clock = { now: Date.parse("2026-07-01T23:58:00Z") };
    const console = new Capture();
    const ops = createOpsRuntime({
      paths,
      config: {
        logging: { level: "info", maxSizeMb: 5, maxFiles: 3 },
        metrics: { enabled: true, listen: "127.0.0.1:0" },
        alerts: { webhookUrl: `${hook.url}/hook`, format: "discord", telegramChatId: null, minEthProofs: 10 },
        network: "local",
        publicUrl: "http://127.0.0.1:8080",
        wallet: { address: "0x00000000000000000000000000000000000000aa", backend: "keystore" },
      },
      build: { version: "1.0.0", commit: "abc" },
      now: () => clock.now,
      fetch: (input, init) => fetch(input, init),
      console: { stream: console, color: false },
    });
    cleanups.push(() => ops.stop());
    const url = (await ops.start())!;

    ops.logger("proofs").info("proof submitted", { jobId: "9", txHash: "0xbeef" });
    ops.emit({ type: "node_ready" });
    ops.emit({ type: "rpc_recovered" });
    ops.emit({ type: "registration", registered: true });
    ops.emit({ type: "session_started", sessionId: "s1" });
    ops.emit({ type: "proof_submitted", jobId: "9", tokens: 120, txHash: "0xbeef" });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    ops.emit({ type: "node_down", reason: "exit 137" });
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    await ops.alerts.settle();
    expect(hook.requests.map((r) => r.body.embeds[0].title)).toEqual(["Inference node is down"]);
    expect(JSON.stringify(hook.requests[0]!.body)).toContain("0x00000000000000000000000000000000000000aa");
    expect(await (await fetch(`${url}/metrics`)).text()).toContain("fabstir_host_tokens_proven_total 120");

    // Midnight passes, then the clock is corrected backwards: July 1 is written exactly once.
    clock.now = Date.parse("2026-07-02T00:01:00Z");
    ops.emit({ type: "session_started" });
    clock.now = Date.parse("2026-07-01T23:59:30Z");
    ops.emit({ type: "session_started" });
    clock.now = Date.parse("2026-07-03T00:00:10Z");
    ops.summary.tick();
    const day1 = JSON.parse(readFileSync(join(paths.stateDir, "summaries", "2026-07-01.json"), "utf8"));
    const day2 = JSON.parse(readFileSync(join(paths.stateDir, "summaries", "2026-07-02.json"), "utf8"));
    expect([day1.sessions, day1.proofsSubmitted, day2.sessions]).toEqual([1, 1, 2]);

    await ops.stop();
    // Read the way `logs` does: the day rotations split the file.
    const supervisorLog = JSON.stringify(tailLogs(paths.logsDir, { components: ["supervisor"] }));
    expect(supervisorLog).toContain("daily summary 2026-07-01: 1 sessions");
    expect(supervisorLog).toContain("alert sent");
    expect(supervisorLog).not.toContain("/hook");
    expect(existsSync(join(paths.logsDir, "proofs.log"))).toBe(true);
    expect(console.text()).toContain("proofs     proof submitted  jobId=9 txHash=0xbeef");
  });

  test("a reload switches the log level and the alert webhook live; the endpoint's address waits for a restart", async () => {
    const root = mkdtempSync(join(tmpdir(), "fabstir-runtime-"));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const first = startWebhookCapture();
    const second = startWebhookCapture();
    cleanups.push(() => first.stop());
    cleanups.push(() => second.stop());
    const paths = pathsFor(join(root, "home"));
    const config = {
      logging: { level: "info" as const, maxSizeMb: 5, maxFiles: 3 },
      metrics: { enabled: false, listen: "127.0.0.1:0" },
      alerts: { webhookUrl: `${first.url}/old-hook`, format: "json" as const, telegramChatId: null, minEthProofs: 10 },
      network: "local" as const,
      publicUrl: "http://127.0.0.1:8080",
      wallet: { address: "0x00000000000000000000000000000000000000aa", backend: "keystore" as const },
    };
    const ops = createOpsRuntime({
      paths,
      config,
      build: { version: "1.0.0", commit: "abc" },
      now: () => Date.now(),
      fetch: (input, init) => fetch(input, init),
    });
    cleanups.push(() => ops.stop());
    await ops.start();
    const proofs = ops.logger("proofs");
    proofs.debug("before the reload");

    const waiting = ops.reload({
      ...config,
      logging: { ...config.logging, level: "debug" },
      metrics: { enabled: true, listen: "127.0.0.1:9999" },
      alerts: { ...config.alerts, webhookUrl: `${second.url}/new-hook` },
    });
    expect(waiting).toEqual(["metrics"]);
    proofs.debug("after the reload");
    ops.emit({ type: "node_down", reason: "exit 137" });
    await ops.alerts.settle();
    expect(first.requests).toEqual([]);
    expect(second.requests.map((r) => r.path)).toEqual(["/new-hook"]);

    await ops.stop();
    const lines = tailLogs(paths.logsDir, { components: ["proofs", "supervisor"] }).map((line) => line.message);
    expect(lines).toContain("after the reload");
    expect(lines).not.toContain("before the reload");
    expect(lines).toContain("log level changed");
    expect(JSON.stringify(tailLogs(paths.logsDir, { components: ["supervisor"] }))).not.toContain("new-hook");
  });
});
