/**
 * Devnet start-up benchmark: anvil start + full deployment with cached artifacts (median
 * of 5), and a cold compile of the contracts (into a throwaway cache) measured separately.
 *
 *   bun scripts/bench/devnet.ts [--runs N] [--skip-cold] [--json]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAnvil } from "../devnet/anvil.ts";
import { compileContracts } from "../devnet/compile.ts";
import { deployFabstir } from "../devnet/deploy.ts";

export interface DevnetBenchResult {
  runs: number;
  startMs: { median: number; min: number; max: number };
  anvilMs: number;
  deployMs: number;
  coldCompileMs?: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function benchDevnet(opts: { runs?: number; cold?: boolean } = {}): Promise<DevnetBenchResult> {
  const runs = opts.runs ?? 5;
  let coldCompileMs: number | undefined;
  if (opts.cold !== false) {
    const cacheDir = mkdtempSync(join(tmpdir(), "fabstir-bench-artifacts-"));
    try {
      const started = performance.now();
      await compileContracts({ cacheDir, force: true });
      coldCompileMs = performance.now() - started;
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  await compileContracts(); // the runs below measure a warm cache, as tests see it

  const total: number[] = [];
  const anvil: number[] = [];
  const deploy: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const chain = await startAnvil();
    const t1 = performance.now();
    try {
      await deployFabstir(chain.rpcUrl);
    } finally {
      const t2 = performance.now();
      total.push(t2 - t0);
      anvil.push(t1 - t0);
      deploy.push(t2 - t1);
      await chain.stop();
    }
  }
  return {
    runs,
    startMs: { median: median(total), min: Math.min(...total), max: Math.max(...total) },
    anvilMs: median(anvil),
    deployMs: median(deploy),
    coldCompileMs,
  };
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
  const result = await benchDevnet({ runs, cold: !args.includes("--skip-cold") });
  if (args.includes("--json")) {
    console.log(JSON.stringify(result));
  } else {
    const ms = (n: number) => `${Math.round(n)} ms`;
    console.log(`devnet start + deploy (cached artifacts), median of ${result.runs}: ${ms(result.startMs.median)}`);
    console.log(`  min ${ms(result.startMs.min)}, max ${ms(result.startMs.max)}; anvil ${ms(result.anvilMs)}, deploy ${ms(result.deployMs)}`);
    if (result.coldCompileMs !== undefined) console.log(`cold compile (solc-js, no cache): ${ms(result.coldCompileMs)}`);
  }
}
