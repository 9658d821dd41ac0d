/**
 * Shared by the supervisor and daemon integration tests: a private host directory with a hand-written config.json,
 * the node stand-in (or a fixture node) behind a small executable wrapper as node.binaryPath, free ports, and
 * process checks that ignore zombies.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathsFor, type Paths } from "../../../src/config/paths.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import type { NodeNetwork } from "../../../src/node/supervisor/node-env.ts";
import { isProcessAlive, groupMembers } from "../../../src/node/supervisor/process-group.ts";

export const repoRoot = resolve(import.meta.dir, "..", "..", "..");
export const NODE_SIM = join(repoRoot, "scripts", "devnet", "node-sim.ts");
export const STUBBORN_NODE = join(import.meta.dir, "fixtures", "stubborn-node.ts");
/** anvil's well-known development key #1: public knowledge, yet it must never be printed. */
export const TEST_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

export const TEST_CONTRACTS = {
  jobMarketplace: "0x00000000000000000000000000000000000000a1",
  nodeRegistry: "0x00000000000000000000000000000000000000a2",
  hostEarnings: "0x00000000000000000000000000000000000000a3",
  modelRegistry: "0x00000000000000000000000000000000000000a4",
  proofSystem: "0x00000000000000000000000000000000000000a5",
  fabToken: "0x00000000000000000000000000000000000000a6",
  usdcToken: "0x00000000000000000000000000000000000000a7",
};

export const TEST_NETWORK: NodeNetwork = { chainId: 31337, rpcUrls: ["http://127.0.0.1:1"], contracts: TEST_CONTRACTS };

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolvePort(port));
    });
  });
}

export interface HostDir {
  root: string;
  home: string;
  paths: Paths;
  modelPath: string;
  binaryPath: string;
  port: number;
  /** The config as the loader makes it from the file (defaults filled in). */
  config(): HostConfig;
  writeConfig(raw: Record<string, unknown>): void;
  raw: Record<string, unknown>;
  cleanup(): void;
}

export interface HostDirOptions {
  signer?: "node" | "cli";
  extraEnv?: Record<string, string>;
  /** The script the wrapper runs (default: the node stand-in). */
  nodeScript?: string;
}

/** A config directory for one test: model file, node wrapper, config.json on a free loopback port. */
export async function makeHostDir(options: HostDirOptions = {}): Promise<HostDir> {
  const root = mkdtempSync(join(tmpdir(), "fabstir-sup-"));
  const home = join(root, "home");
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const modelPath = join(root, "tiny-vicuna-1b.q4_k_m.gguf");
  writeFileSync(modelPath, "GGUF fake model for tests");
  const binaryPath = writeNodeWrapper(root, options.nodeScript ?? NODE_SIM);
  const port = await freePort();
  const apiPort = await freePort();
  const raw: Record<string, unknown> = {
    version: 1,
    network: "custom",
    chainId: TEST_NETWORK.chainId,
    rpcUrls: TEST_NETWORK.rpcUrls,
    contracts: TEST_CONTRACTS,
    node: { binaryPath, modelPath, signer: options.signer ?? "cli", internalPort: port, apiPort, p2pPort: 19_000, extraEnv: options.extraEnv ?? {} },
    // The ops endpoint has its own tests; here it would only compete for a fixed port.
    metrics: { enabled: false },
  };
  const dir: HostDir = {
    root,
    home,
    paths: pathsFor(home),
    modelPath,
    binaryPath,
    port,
    raw,
    config: () => resolveConfig(JSON.parse(readFileSync(join(home, "config.json"), "utf8")), {}, {}).config,
    writeConfig: (next) => writeFileSync(join(home, "config.json"), JSON.stringify(next, null, 2)),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  dir.writeConfig(raw);
  return dir;
}

/** node.binaryPath must be one executable: a shell wrapper that `exec`s bun (so the pid stays the node's). */
export function writeNodeWrapper(dir: string, script: string): string {
  const path = join(dir, `node-${Math.random().toString(36).slice(2, 8)}.sh`);
  writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${script}"\n`);
  chmodSync(path, 0o755);
  return path;
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

export function readProcText(pid: number, file: "environ" | "cmdline"): string {
  return readFileSync(`/proc/${pid}/${file}`, "utf8").replaceAll("\0", "\n");
}

export { isProcessAlive, groupMembers, existsSync };

/** Last resort in afterAll/finally: SIGKILL a group that a failed test left behind. */
export function killGroup(pgid: number | undefined | null): void {
  if (!pgid) return;
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // gone
  }
}

import { spawn } from "node:child_process";
import type { Logger } from "../../../src/ops/logging/logger-types.ts";
import { systemClock } from "../../../src/util/clock.ts";
import { Supervisor } from "../../../src/node/supervisor/index.ts";
import type { SupervisorEvents, SupervisorSettings, SupervisorSpec } from "../../../src/node/supervisor/types.ts";

/** A logger that keeps every line (message + JSON meta) for assertions. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const make = (base: Record<string, unknown>): Logger & { lines: string[] } => {
    const write = (level: string) => (message: string, meta?: Record<string, unknown>) => {
      lines.push(`${level} ${message} ${JSON.stringify({ ...base, ...meta })}`);
    };
    return {
      lines,
      error: write("error"),
      warn: write("warn"),
      info: write("info"),
      debug: write("debug"),
      child: (meta) => make({ ...base, ...meta }),
      filePath: undefined,
      close: async () => {},
    };
  };
  return make({});
}

/** Fast settings for tests: quick polls and backoff, small crash-loop window. */
export const FAST: Partial<SupervisorSettings> = {
  startupTimeoutMs: 15_000,
  startupPollMs: 50,
  healthIntervalMs: 200,
  healthTimeoutMs: 300,
  hangThreshold: 2,
  stopTimeoutMs: 2_000,
  backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
  crashLoop: { maxCrashes: 3, windowMs: 60_000 },
};

export interface TestSupervisor {
  supervisor: Supervisor;
  logger: Logger & { lines: string[] };
  events: { name: keyof SupervisorEvents; payload: any; at: number }[];
}

export function makeSupervisor(dir: HostDir, settings: Partial<SupervisorSettings> = {}, spec: Partial<SupervisorSpec> = {}): TestSupervisor {
  const logger = memoryLogger();
  const supervisor = new Supervisor(
    { config: dir.config(), network: TEST_NETWORK, binaryPath: dir.binaryPath, modelPath: dir.modelPath, ...spec },
    { spawn, fetch, logger, clock: systemClock, logsDir: dir.paths.logsDir, baseEnv: { PATH: process.env.PATH, HOME: process.env.HOME } },
    { ...FAST, ...settings },
  );
  const events: TestSupervisor["events"] = [];
  for (const name of ["ready", "exit", "restart", "crash-loop", "unhealthy", "health"] as const) {
    supervisor.on(name, (payload) => events.push({ name, payload, at: Date.now() }));
  }
  return { supervisor, logger, events };
}
