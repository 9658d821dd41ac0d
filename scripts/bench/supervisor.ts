#!/usr/bin/env bun
/**
 * The supervisor with the node stand-in (no model load: SIM_STARTUP_DELAY_MS=0, so the figures are our overhead):
 *   - `start --daemon` to ready: wall time of the real command, from source, until it returns (node ready);
 *   - Supervisor.start() to ready, in process (spawn, readiness lines, /health answering);
 *   - restart latency after a crash: node exit to the next ready, with no backoff (the mechanics) — the default
 *     backoff adds 1 s ± 20 % to the first restart;
 *   - RSS of the daemon process and of the orphan watchdog, once the host runs.
 * Median over --runs (default 10). Prints a table and, with --json, one JSON line.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { resolveConfig } from "../../src/config/store.ts";
import { Supervisor } from "../../src/node/supervisor/index.ts";
import { createNullLogger } from "../../src/ops/logging/logger.ts";
import { systemClock } from "../../src/util/clock.ts";

const { values } = parseArgs({ options: { runs: { type: "string" }, json: { type: "boolean" } } });
const runs = Number(values.runs ?? 10);
const root = join(import.meta.dir, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "fabstir-bench-sup-"));
const modelPath = join(scratch, "model.gguf");
writeFileSync(modelPath, "GGUF");
const wrapper = join(scratch, "node.sh");
writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${join(root, "scripts", "devnet", "node-sim.ts")}"\n`);
chmodSync(wrapper, 0o755);
const contracts = Object.fromEntries(
  ["jobMarketplace", "nodeRegistry", "hostEarnings", "modelRegistry", "proofSystem", "fabToken", "usdcToken"].map((key, i) => [
    key,
    `0x${String(i + 1).padStart(40, "0")}`,
  ]),
);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen({ port: 0, host: "127.0.0.1" }, () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function hostHome(extraEnv: Record<string, string> = {}): Promise<{ home: string; raw: Record<string, unknown> }> {
  const home = mkdtempSync(join(scratch, "home-"));
  const raw = {
    version: 1,
    network: "custom",
    chainId: 31337,
    rpcUrls: ["http://127.0.0.1:1"],
    contracts,
    node: { binaryPath: wrapper, modelPath, signer: "cli", internalPort: await freePort(), p2pPort: 19000, extraEnv },
  };
  writeFileSync(join(home, "config.json"), JSON.stringify(raw));
  return { home, raw };
}

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"))!;
  return Number(line.replace(/\D+/g, "")) / 1024;
}

function cli(args: string[]): { code: number; stdout: string } {
  const result = Bun.spawnSync([process.execPath, join(root, "src", "main.ts"), ...args], {
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: result.exitCode, stdout: result.stdout.toString() };
}

// 1. The real command, detached, until it returns with the node ready; RSS once it runs.
const commandMs: number[] = [];
const daemonRss: number[] = [];
const watchdogRss: number[] = [];
for (let i = 0; i < runs; i++) {
  const { home } = await hostHome();
  const began = performance.now();
  const started = cli(["start", "--daemon", "--json", "--config-dir", home]);
  commandMs.push(performance.now() - began);
  if (started.code !== 0) throw new Error(`start --daemon failed: ${started.stdout}`);
  const { pid } = JSON.parse(started.stdout).data as { pid: number };
  await Bun.sleep(1_000); // steady state
  daemonRss.push(rssMb(pid));
  const watchdog = Bun.spawnSync(["pgrep", "-f", "fabstir-node-watchdog"]).stdout.toString().trim().split("\n").map(Number).filter(Boolean);
  if (watchdog[0]) watchdogRss.push(rssMb(watchdog.at(-1)!));
  cli(["stop", "--config-dir", home]);
}

// 2 and 3. In process: start to ready, and crash → ready again.
const startMs: number[] = [];
const restartMs: number[] = [];
for (let i = 0; i < runs; i++) {
  const { home } = await hostHome({ SIM_CRASH_AFTER_MS: "800" });
  const config = resolveConfig(JSON.parse(readFileSync(join(home, "config.json"), "utf8")), {}, {}).config;
  const supervisor = new Supervisor(
    { config, network: { chainId: 31337, rpcUrls: config.rpcUrls, contracts: contracts as never }, binaryPath: wrapper, modelPath },
    { spawn, fetch, logger: createNullLogger(), clock: systemClock, logsDir: join(home, "logs"), baseEnv: process.env },
    { startupPollMs: 25, backoff: { initialMs: 0, maxMs: 0, factor: 1, jitter: 0 }, crashLoop: { maxCrashes: 100, windowMs: 60_000 } },
  );
  let exitAt = 0;
  supervisor.on("exit", () => (exitAt = performance.now()));
  const began = performance.now();
  await supervisor.start();
  startMs.push(performance.now() - began);
  await supervisor.once("ready");
  restartMs.push(performance.now() - exitAt);
  await supervisor.stop();
}
rmSync(scratch, { recursive: true, force: true });

const result = {
  runs,
  "start --daemon to ready (ms)": Number(median(commandMs).toFixed(0)),
  "Supervisor.start() to ready (ms)": Number(median(startMs).toFixed(0)),
  "crash to ready again, no backoff (ms)": Number(median(restartMs).toFixed(0)),
  "daemon RSS (MB)": Number(median(daemonRss).toFixed(1)),
  "watchdog RSS (MB)": watchdogRss.length ? Number(median(watchdogRss).toFixed(1)) : null,
};
if (values.json) console.log(JSON.stringify(result));
else for (const [name, value] of Object.entries(result)) console.log(`${name.padEnd(40)} ${value}`);
