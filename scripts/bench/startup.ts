#!/usr/bin/env bun
/**
 * Start-up time of the compiled binary: median wall time of `fabstir-host --version` and `--help` over 30 runs,
 * beside `node -e 0` in the same run. Target: `--version` median below 0.6 × `node -e 0`.
 * Builds the linux-x64 binary first unless --binary is given. Prints a table and, with --json, one JSON line.
 */
import { existsSync, mkdtempSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { binary: { type: "string" }, runs: { type: "string" }, json: { type: "boolean" } } });
const runs = Number(values.runs ?? 30);
const root = join(import.meta.dir, "..", "..");
let binary = values.binary;
if (!binary) {
  const built = Bun.spawnSync(["bun", "scripts/build.ts", "--target", "linux-x64"], { cwd: root, stderr: "pipe" });
  if (built.exitCode !== 0) throw new Error(built.stderr.toString());
  binary = join(root, "dist", "fabstir-host-linux-x64");
}
if (!existsSync(binary)) throw new Error(`no binary at ${binary}`);
// Run from a folder with no node_modules, as a user would.
const scratch = mkdtempSync(join(tmpdir(), "fabstir-bench-"));
const local = join(scratch, "fabstir-host");
copyFileSync(binary, local);
Bun.spawnSync(["chmod", "+x", local]);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function time(cmd: string[]): number {
  const started = performance.now();
  const result = Bun.spawnSync(cmd, { cwd: scratch, stdout: "ignore", stderr: "ignore", env: { ...process.env, HOME: scratch } });
  if (result.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${result.exitCode}`);
  return performance.now() - started;
}

const samples: Record<string, number[]> = { "node -e 0": [], "fabstir-host --version": [], "fabstir-host --help": [] };
for (let i = 0; i < 3; i++) time([local, "--version"]); // warm the page cache
for (let i = 0; i < runs; i++) {
  // Interleaved, so a busy moment on the machine hits all three alike.
  samples["node -e 0"]!.push(time(["node", "-e", "0"]));
  samples["fabstir-host --version"]!.push(time([local, "--version"]));
  samples["fabstir-host --help"]!.push(time([local, "--help"]));
}
const result = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, Number(median(list).toFixed(2))]));
const ratio = result["fabstir-host --version"]! / result["node -e 0"]!;
const figures = { runs, medianMs: result, versionVsNode: Number(ratio.toFixed(3)), target: 0.6, met: ratio < 0.6 };
if (values.json) console.log(JSON.stringify(figures));
else {
  for (const [name, ms] of Object.entries(result)) console.log(`${name.padEnd(24)} ${ms.toFixed(2)} ms (median of ${runs})`);
  console.log(`--version / node -e 0 = ${ratio.toFixed(3)} (target < 0.6: ${figures.met ? "met" : "NOT met"})`);
}
