/**
 * Starts and stops a local anvil chain (chain id 31337) for the devnet and the tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { REPO_ROOT } from "./paths.ts";

export const DEVNET_CHAIN_ID = 31337;

export interface AnvilOptions {
  /** Port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  /** Seconds between blocks (interval mining) instead of a block per transaction. */
  blockTime?: number;
  /** Mine only on demand (evm_mine). */
  noMining?: boolean;
  /** Number of funded development accounts (default 10). */
  accounts?: number;
  /** How long to wait for the first answer, in ms (default 15 s). */
  startTimeoutMs?: number;
}

export interface AnvilHandle {
  rpcUrl: string;
  port: number;
  process: ChildProcess;
  /** Stops anvil and waits for it to exit; safe to call more than once. */
  stop(): Promise<void>;
}

/** The anvil binary: $ANVIL_BIN, the npm platform package, node_modules/.bin, then PATH. */
export function anvilBinary(): string {
  const fromEnv = process.env.ANVIL_BIN;
  if (fromEnv) return fromEnv;
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const exe = process.platform === "win32" ? "anvil.exe" : "anvil";
  // The platform package holds the real binary; the .bin entry is a Node wrapper that
  // would add a second process between us and anvil.
  const candidates = [
    join(REPO_ROOT, "node_modules", "@foundry-rs", `anvil-${process.platform}-${arch}`, "bin", exe),
    join(REPO_ROOT, "node_modules", ".bin", exe),
  ];
  return candidates.find((path) => existsSync(path)) ?? exe;
}

/** A port that was free a moment ago (the OS picks it by a listen on port 0). */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolveFree(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolveFree(true)));
  });
}

/**
 * `count` consecutive ports, all free a moment ago, below the OS's ephemeral range (32768 and up on Linux): ports a
 * host derives from one another (an extra node's port is the next one, its P2P ports three further) stay clear of
 * each other and of every server that asks the OS for a port 0 later (anvil, a test's stub).
 */
export async function findFreePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    let free = true;
    for (let port = base; port < base + count && free; port++) free = await portFree(port);
    if (free) return base;
  }
  throw new Error(`no block of ${count} free ports found`);
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Whatever happens to the parent, no anvil outlives it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

export async function startAnvil(opts: AnvilOptions = {}): Promise<AnvilHandle> {
  // Another process may grab a picked port before anvil binds it: pick again then.
  const attempts = opts.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = opts.port ?? (await findFreePort());
    try {
      return await launch(port, opts);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function launch(port: number, opts: AnvilOptions): Promise<AnvilHandle> {
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(DEVNET_CHAIN_ID), "--quiet"];
  if (opts.accounts !== undefined) args.push("--accounts", String(opts.accounts));
  if (opts.blockTime !== undefined) args.push("--block-time", String(opts.blockTime));
  if (opts.noMining) args.push("--no-mining");

  installExitHook();
  // stdout stays ignored: anvil's banner lists the development private keys.
  const child = spawn(anvilBinary(), args, { stdio: ["ignore", "ignore", "pipe"] });
  running.add(child);
  let stderrTail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolveExit) => {
    child.once("exit", () => {
      running.delete(child);
      resolveExit();
    });
  });
  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
    running.delete(child);
  });

  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && !spawnError) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`cannot start anvil (${anvilBinary()}): ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`anvil exited during startup (code ${child.exitCode}): ${stderrTail.trim()}`);
    }
    const chainId = await queryChainId(rpcUrl);
    if (chainId !== undefined) {
      if (chainId !== DEVNET_CHAIN_ID) {
        await stop();
        throw new Error(`anvil answered chain id ${chainId}, expected ${DEVNET_CHAIN_ID}`);
      }
      return { rpcUrl, port, process: child, stop };
    }
    await Bun.sleep(20);
  }
  await stop();
  throw new Error(`anvil did not answer on ${rpcUrl} within ${opts.startTimeoutMs ?? 15_000} ms`);
}

async function queryChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    const body = (await response.json()) as { result?: string };
    return body.result ? Number(BigInt(body.result)) : undefined;
  } catch {
    return undefined;
  }
}
