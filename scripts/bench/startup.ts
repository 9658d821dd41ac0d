#!/usr/bin/env bun
/**
 * Start-up time of the compiled binary, per command, beside `node -e 0` in the same run (interleaved, medians):
 *   - commands that need no network: the whole run, to exit;
 *   - commands that need the chain: until their first request reaches a local RPC server (what comes after is the
 *     network's time, not ours).
 * Target: every figure ≤ 0.5 × `node -e 0`. Builds the linux-x64 binary first unless --binary is given. Prints a table
 * and, with --json, one JSON line.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { binary: { type: "string" }, runs: { type: "string" }, json: { type: "boolean" } } });
const runs = Number(values.runs ?? 15);
const TARGET = 0.5;
const root = join(import.meta.dir, "..", "..");
let binary = values.binary;
if (!binary) {
  const built = Bun.spawnSync(["bun", "scripts/build.ts", "--target", "linux-x64"], { cwd: root, stderr: "pipe" });
  if (built.exitCode !== 0) throw new Error(built.stderr.toString());
  binary = join(root, "dist", "fabstir-host-linux-x64");
}
if (!existsSync(binary)) throw new Error(`no binary at ${binary}`);
// Run from a folder with no node_modules, as a user would, with a host set up in its own config directory.
const scratch = mkdtempSync(join(tmpdir(), "fabstir-bench-"));
const local = join(scratch, "fabstir-host");
copyFileSync(binary, local);
Bun.spawnSync(["chmod", "+x", local]);
const home = join(scratch, "host");
const env = { ...process.env, HOME: scratch, FABSTIR_HOME: home, NO_COLOR: "1" };

// A local "RPC" that notes when the first request of a run arrives, and answers every call with an error.
let firstRequestAt = 0;
const rpc = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch() {
    firstRequestAt ||= performance.now();
    return Response.json({ jsonrpc: "2.0", id: 1, error: { code: -32000, message: "bench" } });
  },
});
const setup = (args: string[], stdin?: string) => {
  const result = Bun.spawnSync([local, ...args], {
    cwd: scratch,
    env,
    stdin: stdin ? new TextEncoder().encode(stdin) : undefined,
    stdout: "pipe",
    stderr: "pipe",
  });
  if (result.exitCode !== 0) throw new Error(`${args.join(" ")}: ${result.stderr.toString()}`);
};
writeFileSync(join(scratch, "pw.txt"), "correct horse battery staple 42", { mode: 0o600 });
setup(["config", "set", "rpcUrls", `http://127.0.0.1:${rpc.port}`]);
setup(["wallet", "import", "--stdin", "--backend", "keystore", "--password-file", join(scratch, "pw.txt")], `0x${"11".repeat(32)}\n`);

const OFFLINE: string[][] = [
  ["--version"],
  ["--help"],
  ["version"],
  ["config", "get", "network"],
  ["config", "list"],
  ["config", "set", "logging.level", "info"],
  ["config", "path"],
  ["config", "validate"],
  ["wallet", "address"],
  ["logs", "--lines", "5"],
  ["service", "status"],
  ["node", "list"],
  ["pricing", "show", "--offline"],
  ["models", "list", "--help"],
];
const CHAIN: string[][] = [["status", "--json"], ["wallet", "balance"], ["earnings"], ["pricing", "show"], ["market"], ["doctor", "--only", "rpc"]];

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeToExit(cmd: string[]): number {
  const started = performance.now();
  Bun.spawnSync(cmd, { cwd: scratch, stdout: "ignore", stderr: "ignore", env });
  return performance.now() - started;
}

async function timeToFirstRequest(args: string[]): Promise<number> {
  firstRequestAt = 0;
  const started = performance.now();
  const child = Bun.spawn([local, ...args], { cwd: scratch, stdout: "ignore", stderr: "ignore", env });
  const deadline = started + 10_000;
  while (!firstRequestAt && performance.now() < deadline && child.exitCode === null) await Bun.sleep(1);
  const at = firstRequestAt;
  child.kill();
  await child.exited;
  return at ? at - started : Number.NaN;
}

// The runtime's own floor: a Bun binary that prints one line, compiled the way the release is (bytecode, minified).
// Nothing fabstir-host does can start faster; it shows what part of every figure is the runtime's.
const floorSource = join(scratch, "floor.ts");
const floor = join(scratch, "bun-floor");
writeFileSync(floorSource, 'console.log("fabstir-host 0.0.0");\n');
const builtFloor = Bun.spawnSync(
  ["bun", "build", floorSource, "--compile", "--bytecode", "--minify", "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig", "--outfile", floor],
  { stderr: "pipe" },
);
if (builtFloor.exitCode !== 0) throw new Error(builtFloor.stderr.toString());
const FLOOR = "a Bun binary printing one line (the runtime's floor)";

const samples = new Map<string, number[]>([
  ["node -e 0", []],
  [FLOOR, []],
]);
const label = (args: string[]) => `fabstir-host ${args.join(" ")}`;
for (let i = 0; i < 3; i++) timeToExit([local, "--version"]); // warm the page cache
for (let i = 0; i < runs; i++) {
  samples.get("node -e 0")!.push(timeToExit(["node", "-e", "0"]));
  samples.get(FLOOR)!.push(timeToExit([floor]));
  for (const args of OFFLINE) {
    const list = samples.get(label(args)) ?? [];
    list.push(timeToExit([local, ...args]));
    samples.set(label(args), list);
  }
  for (const args of CHAIN) {
    const list = samples.get(`${label(args)} (to first RPC request)`) ?? [];
    list.push(await timeToFirstRequest(args));
    samples.set(`${label(args)} (to first RPC request)`, list);
  }
}
rpc.stop(true);
rmSync(scratch, { recursive: true, force: true });

const node = median(samples.get("node -e 0")!);
const rows = [...samples].map(([name, list]) => {
  const ms = median(list.filter((v) => !Number.isNaN(v)));
  return { name, medianMs: Number(ms.toFixed(2)), ratio: Number((ms / node).toFixed(3)) };
});
const measured = rows.filter((row) => row.name !== "node -e 0" && row.name !== FLOOR);
const figures = { runs, nodeMs: Number(node.toFixed(2)), target: TARGET, rows, met: measured.every((row) => row.ratio <= TARGET) };
if (values.json) console.log(JSON.stringify(figures));
else {
  for (const row of rows) console.log(`${row.name.padEnd(64)} ${row.medianMs.toFixed(2).padStart(8)} ms  ${row.ratio.toFixed(3)}×`);
  console.log(`every command ≤ ${TARGET} × node -e 0: ${figures.met ? "met" : "NOT met"}`);
}
