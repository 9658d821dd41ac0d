#!/usr/bin/env bun
/**
 * Restart with a long history: a host on the devnet (prepareHost: init, faucet, models, register, the node stand-in)
 * whose marketplace list `hostSessions(host)` holds 10, 1,000 (and with --max 10000, 10,000) settled jobs, written by
 * seedSettledHistory. For each size, in the same run:
 *   - baseline, the full walk: `start --daemon` with no walk cursor in the state dir (what every start did before the
 *     cursor existed): time to ready (the command returns) and to "proof recovery done" in the host's log, when the
 *     public port opened in builds that waited for the walk;
 *   - this build: `start --daemon` again, the cursor on disk: the same two times;
 *   - the walk alone, in process, through a call-counting RPC proxy: full walk vs restart (ms and eth_calls).
 * Prints a table and, with --json, one JSON line.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { prepareHost } from "../demo/prepare-host.ts";
import { seedSettledHistory } from "../devnet/history.ts";
import { connectChain } from "../../src/chain/client.ts";
import { resolveConfig } from "../../src/config/store.ts";
import { ChainProofPort } from "../../src/proof/chain-adapter.ts";

const { values } = parseArgs({ options: { json: { type: "boolean" }, max: { type: "string" } } });
const sizes = [10, 1000, 10_000].filter((n) => n <= Number(values.max ?? 1000));
const root = join(import.meta.dir, "..", "..");

// The CLI from source, as the binary prepareHost runs.
const wrapperDir = join(root, ".bench");
const wrapper = join(wrapperDir, "fabstir-host-source.sh");
Bun.spawnSync(["mkdir", "-p", wrapperDir]);
writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${join(root, "src", "main.ts")}" "$@"\n`);
chmodSync(wrapper, 0o755);

const host = await prepareHost({ binary: wrapper });
const stateDir = join(host.home, "state");
const logsDir = join(host.home, "logs");

function logsMention(text: string): boolean {
  const walk = (dir: string): boolean =>
    existsSync(dir) &&
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".log") && readFileSync(join(dir, e.name), "utf8").includes(text),
    );
  return walk(logsDir);
}

/** `start --daemon` until it returns, then until the log says recovery is done; stops the host after. */
async function timedStart(): Promise<{ readyMs: number; recoveredMs: number }> {
  rmSync(logsDir, { recursive: true, force: true });
  const began = performance.now();
  await host.cli(["start", "--daemon", "--password-file", host.passwordFile]);
  const readyMs = performance.now() - began;
  while (!logsMention("proof recovery done")) {
    if (performance.now() - began > 900_000) throw new Error("recovery did not finish in 15 minutes");
    await Bun.sleep(20);
  }
  const recoveredMs = performance.now() - began;
  await host.cli(["stop"]);
  return { readyMs: Math.round(readyMs), recoveredMs: Math.round(recoveredMs) };
}

/** The walk alone, as a fresh process makes it, counting eth_calls through a proxy in front of anvil. */
async function timedWalk(dir: string): Promise<{ ms: number; calls: number }> {
  let calls = 0;
  const proxy = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const body = await request.text();
      const parsed = JSON.parse(body);
      calls += (Array.isArray(parsed) ? parsed : [parsed]).filter((c: { method: string }) => c.method === "eth_call").length;
      return fetch(host.deployment.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
    },
  });
  const raw = JSON.parse(readFileSync(join(host.home, "config.json"), "utf8"));
  const config = resolveConfig({ ...raw, rpcUrls: [`http://127.0.0.1:${proxy.port}`] }, {}, {}).config;
  const chain = connectChain(config);
  try {
    const port = new ChainProofPort(chain, () => Promise.reject(new Error("no sends")), host.address, dir);
    const began = performance.now();
    await port.activeJobsOfHost();
    return { ms: Math.round(performance.now() - began), calls };
  } finally {
    chain.close();
    proxy.stop(true);
  }
}

const rows: Array<Record<string, number>> = [];
try {
  let seeded = 0;
  for (const size of sizes) {
    await seedSettledHistory(host.deployment, size - seeded, { host: host.address });
    seeded = size;
    rmSync(join(stateDir, "host-jobs"), { recursive: true, force: true });
    const full = await timedStart(); // no cursor: the full walk (and it leaves the cursor behind)
    const restart = await timedStart(); // the cursor on disk
    const walkDir = join(host.scratch, `walk-${size}`);
    const fullWalk = await timedWalk(walkDir);
    const restartWalk = await timedWalk(walkDir);
    rows.push({
      jobs: size,
      "full walk: ready (ms)": full.readyMs,
      "full walk: recovery done (ms)": full.recoveredMs,
      "cursor: ready (ms)": restart.readyMs,
      "cursor: recovery done (ms)": restart.recoveredMs,
      "walk alone, full (ms)": fullWalk.ms,
      "walk alone, full (eth_calls)": fullWalk.calls,
      "walk alone, cursor (ms)": restartWalk.ms,
      "walk alone, cursor (eth_calls)": restartWalk.calls,
      "recovery ratio full / cursor": Number((full.recoveredMs / restart.recoveredMs).toFixed(1)),
    });
  }
} finally {
  await host.stop();
}

if (values.json) console.log(JSON.stringify({ rows }));
else
  for (const row of rows)
    console.log(
      Object.entries(row)
        .map(([k, v]) => `${k}: ${v}`)
        .join(" · "),
    );
