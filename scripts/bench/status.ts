#!/usr/bin/env bun
/**
 * Benchmark: `fabstir-host status --json` of the COMPILED binary on a registered devnet host with 10 sessions
 * (3 of them proved and settled). Counts the HTTP requests (RPC round trips) and JSON-RPC calls at a proxy in front
 * of anvil, and the wall time of the process, cold (no status cache) and warm (the cache of the previous run).
 * Target: a cold read in at most 2 round trips, a warm one in 1.
 *
 *   bun scripts/bench/status.ts [--runs 10] [--latency-ms 0] [--binary dist/fabstir-host-linux-x64] [--json]
 *
 * Builds the linux-x64 binary first (bun scripts/build.ts --target linux-x64) unless --binary is given.
 * `--latency-ms` delays every proxy answer, to imitate a remote RPC.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { id as hashOf } from "ethers";
import { startAnvil } from "../devnet/anvil.ts";
import { deployFabstir } from "../devnet/deploy.ts";
import { devnetContracts, devnetProvider, devnetWallet, openSession, registerHost } from "../devnet/actions.ts";
import { rpc } from "../devnet/rpc.ts";
import { startRpcProxy } from "../../tests/integration/chain/fixtures/rpc-proxy.ts";

const { values } = parseArgs({
  options: { runs: { type: "string" }, "latency-ms": { type: "string" }, binary: { type: "string" }, json: { type: "boolean" } },
});
const runs = Number(values.runs ?? 10);
const latencyMs = Number(values["latency-ms"] ?? 0);
const root = join(import.meta.dir, "..", "..");

let binary = values.binary ? resolve(values.binary) : undefined;
if (!binary) {
  const built = Bun.spawnSync(["bun", "scripts/build.ts", "--target", "linux-x64"], { cwd: root, stdout: "pipe", stderr: "pipe" });
  if (built.exitCode !== 0) throw new Error(`build failed: ${built.stderr.toString()}`);
  binary = join(root, "dist", "fabstir-host-linux-x64");
}
if (!existsSync(binary)) throw new Error(`no binary at ${binary}`);

const anvil = await startAnvil();
const proxy = await startRpcProxy(anvil.rpcUrl);
const scratch = mkdtempSync(join(tmpdir(), "fabstir-bench-status-"));
try {
  const deployment = await deployFabstir(anvil.rpcUrl, { disputeWindow: 1 });
  const provider = devnetProvider(anvil.rpcUrl);
  await registerHost(deployment, provider);
  const market = devnetContracts(deployment, devnetWallet(deployment.accounts.host, provider)).jobMarketplace;
  const jobs: bigint[] = [];
  for (let i = 0; i < 10; i++) jobs.push(await openSession(deployment, provider, { token: i % 2 === 0 ? "ETH" : "USDC" }));
  for (const job of jobs.slice(0, 3)) {
    await rpc(anvil.rpcUrl, "evm_increaseTime", [10]);
    await (await market.getFunction("submitProofOfWork")(job, 1000, hashOf(`bench-${job}`), "bafyproof", "")).wait();
    await rpc(anvil.rpcUrl, "evm_increaseTime", [2]);
    await (await market.getFunction("completeSessionJob")(job, "bafyconversation")).wait();
  }
  provider.destroy();

  const deploymentFile = join(scratch, "deployment.json");
  writeFileSync(deploymentFile, JSON.stringify(deployment));
  const configDir = join(scratch, "host");
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const config = {
    version: 1,
    network: "local",
    deploymentFile,
    rpcUrls: [proxy.url],
    wallet: { address: deployment.accounts.host.address, backend: "keychain" },
  };
  writeFileSync(join(configDir, "config.json"), JSON.stringify(config), { mode: 0o600 });
  proxy.delayMs = latencyMs;

  // Asynchronous spawn: the proxy runs in this process and must keep answering while the binary waits on it.
  const statusOnce = async () => {
    proxy.reset();
    const started = performance.now();
    const child = Bun.spawn([binary!, "status", "--json", "--config-dir", configDir], {
      cwd: scratch,
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: process.env.PATH ?? "", HOME: scratch, NO_COLOR: "1" },
    });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`status exited ${code}: ${stderr}${stdout}`);
    const data = JSON.parse(stdout).data;
    if (data.sessions.total !== 10 || !data.registration.registered) throw new Error(`unexpected status: ${stdout}`);
    return { wallMs, trips: proxy.httpRequests, calls: proxy.rpcCalls };
  };
  const measure = async (cold: boolean) => {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      if (cold) rmSync(join(configDir, "state"), { recursive: true, force: true });
      samples.push(await statusOnce());
    }
    const times = samples.map((s) => s.wallMs).sort((a, b) => a - b);
    return {
      medianMs: Math.round(times[Math.floor(times.length / 2)]!),
      p90Ms: Math.round(times[Math.min(times.length - 1, Math.floor(times.length * 0.9))]!),
      roundTrips: Math.max(...samples.map((s) => s.trips)),
      calls: Math.max(...samples.map((s) => s.calls)),
    };
  };

  await statusOnce(); // first run of the binary on this machine (page cache)
  const cold = await measure(true);
  const warm = await measure(false);
  const versionRuns = Array.from({ length: runs }, () => {
    const started = performance.now();
    Bun.spawnSync([binary!, "--version"], { stdout: "ignore" });
    return performance.now() - started;
  }).sort((a, b) => a - b);
  const versionMs = Math.round(versionRuns[Math.floor(versionRuns.length / 2)]!);

  if (values.json) {
    console.log(JSON.stringify({ runs, latencyMs, cold, warm, versionMs }));
  } else {
    console.log(`fabstir-host status --json (compiled binary), registered host with 10 sessions, ${runs} runs, ${latencyMs} ms added per RPC answer\n`);
    const row = (label: string, m: { medianMs: number; p90Ms: number; roundTrips: number; calls: number }) =>
      `${label.padEnd(28)} wall median ${String(m.medianMs).padStart(5)} ms  p90 ${String(m.p90Ms).padStart(5)} ms  HTTP round trips ${m.roundTrips}  JSON-RPC calls ${m.calls}`;
    console.log(row("cold (no status cache)", cold));
    console.log(row("warm (cache of last run)", warm));
    console.log(`${"fabstir-host --version".padEnd(28)} wall median ${String(versionMs).padStart(5)} ms (process start-up alone)`);
    console.log(
      `\ntarget cold ≤ 2 round trips: ${cold.roundTrips <= 2 ? "met" : "MISSED"} (${cold.roundTrips}); warm = 1: ${warm.roundTrips === 1 ? "met" : "MISSED"} (${warm.roundTrips})`,
    );
  }
} finally {
  await proxy.close();
  await anvil.stop();
  rmSync(scratch, { recursive: true, force: true });
}
