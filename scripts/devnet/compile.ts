/**
 * Compiles the devnet contracts with solc-js and caches the result.
 *
 * Loading solc-js alone costs about a second, so the cache key (SHA-256 of the solc
 * version, the settings and every source) is computed without loading it: a cache hit
 * never touches the compiler.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ARTIFACTS_DIR, CONTRACTS_DIR } from "./paths.ts";
import { CONTRACT_NAMES, type Artifacts, type CompiledContract } from "./types.ts";

const require = createRequire(import.meta.url);

const OUTPUTS = ["abi", "evm.bytecode.object"];
const BASE_SETTINGS = { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" };

/**
 * The marketplace needs the IR pipeline: the public getter of sessionJobs returns 18
 * values, too many for the legacy code generator's stack. IR compilation is several
 * times slower, so only the marketplace goes through it, in a worker thread, while the
 * other contracts compile the legacy way on the main thread.
 */
const IR_UNIT = { file: "JobMarketplaceWithModels.sol", contract: "JobMarketplaceWithModels" };
const SETTINGS = { ...BASE_SETTINGS, irUnit: IR_UNIT }; // what the cache key covers

export interface CompileOptions {
  /** Folder of the cached artifacts (default .devnet/artifacts). */
  cacheDir?: string;
  /** Recompile even when a cached result exists. */
  force?: boolean;
}

interface SolcOutputError {
  severity: "error" | "warning" | "info";
  formattedMessage: string;
}

interface SolcOutput {
  errors?: SolcOutputError[];
  contracts?: Record<string, Record<string, { abi: unknown[]; evm?: { bytecode?: { object?: string } } }>>;
}

let memo: { key: string; artifacts: Artifacts } | undefined;

/** The solc version from its package.json: reading it does not load the compiler. */
export function solcVersion(): string {
  const pkgPath = require.resolve("solc/package.json");
  return (JSON.parse(readFileSync(pkgPath, "utf8")) as { version: string }).version;
}

export function readSources(): Record<string, { content: string }> {
  const sources: Record<string, { content: string }> = {};
  for (const file of readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith(".sol")).sort()) {
    sources[file] = { content: readFileSync(join(CONTRACTS_DIR, file), "utf8") };
  }
  return sources;
}

export function artifactsKey(sources: Record<string, { content: string }>): string {
  const hash = createHash("sha256");
  hash.update(`solc ${solcVersion()}\n${JSON.stringify(SETTINGS)}\n`);
  for (const [name, { content }] of Object.entries(sources)) {
    hash.update(`${name}\n${content.length}\n${content}\n`);
  }
  return hash.digest("hex");
}

export async function compileContracts(opts: CompileOptions = {}): Promise<Artifacts> {
  const sources = readSources();
  const key = artifactsKey(sources);
  if (!opts.force && memo?.key === key) return memo.artifacts;

  const cacheDir = opts.cacheDir ?? ARTIFACTS_DIR;
  const cacheFile = join(cacheDir, `${key}.json`);
  if (!opts.force && existsSync(cacheFile)) {
    const artifacts = JSON.parse(readFileSync(cacheFile, "utf8")) as Artifacts;
    memo = { key, artifacts };
    return artifacts;
  }

  const { artifacts } = await runSolc(sources);
  mkdirSync(cacheDir, { recursive: true });
  // Write then rename, so a concurrent reader never sees half a file.
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(artifacts));
  renameSync(tmp, cacheFile);
  memo = { key, artifacts };
  return artifacts;
}

function standardInputs(sources: Record<string, { content: string }>): { ir: string; legacy: string } {
  const legacySelection: Record<string, Record<string, string[]>> = {};
  for (const file of Object.keys(sources)) {
    if (file !== IR_UNIT.file) legacySelection[file] = { "*": OUTPUTS };
  }
  const input = (settings: object) => JSON.stringify({ language: "Solidity", sources, settings });
  return {
    ir: input({ ...BASE_SETTINGS, viaIR: true, outputSelection: { [IR_UNIT.file]: { [IR_UNIT.contract]: OUTPUTS } } }),
    legacy: input({ ...BASE_SETTINGS, outputSelection: legacySelection }),
  };
}

function compileInWorker(input: string): Promise<string> {
  const worker = new Worker(new URL("./solc-worker.ts", import.meta.url).href);
  return new Promise<string>((resolvePromise, reject) => {
    worker.onmessage = (event: MessageEvent<string>) => resolvePromise(event.data);
    worker.onerror = (event) => reject(new Error(`solc worker failed: ${event.message}`));
    worker.postMessage(input);
  }).finally(() => worker.terminate());
}

async function runSolc(sources: Record<string, { content: string }>): Promise<{ artifacts: Artifacts; warnings: string[] }> {
  const inputs = standardInputs(sources);
  const legacyOutput = compileInWorker(inputs.legacy);
  const solc = require("solc") as { compile(input: string): string };
  const t0 = performance.now();
  const ir = solc.compile(inputs.ir);
  const t1 = performance.now();
  const legacy = await legacyOutput;
  console.error("ir main", Math.round(t1 - t0), "legacy waited", Math.round(performance.now() - t1));
  const outputs = [legacy, ir].map((text) => JSON.parse(text) as SolcOutput);

  const problems = outputs.flatMap((o) => o.errors ?? []);
  const errors = problems.filter((e) => e.severity === "error");
  if (errors.length > 0) {
    throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  }

  const found: Partial<Artifacts> = {};
  for (const output of outputs) {
    for (const file of Object.values(output.contracts ?? {})) {
      for (const [name, contract] of Object.entries(file)) {
        const bytecode = contract.evm?.bytecode?.object;
        if ((CONTRACT_NAMES as readonly string[]).includes(name) && bytecode) {
          const compiled: CompiledContract = { abi: contract.abi, bytecode: `0x${bytecode}` };
          found[name as keyof Artifacts] = compiled;
        }
      }
    }
  }
  for (const name of CONTRACT_NAMES) {
    if (!found[name]) throw new Error(`solc produced no artifact for ${name}`);
  }
  // The same warning shows up in both outputs when both compile the file.
  const warnings = [...new Set(problems.map((e) => e.formattedMessage))];
  return { artifacts: found as Artifacts, warnings };
}

/** Warnings of a fresh compile, for the test that keeps the sources warning-free. */
export async function compileWarnings(): Promise<string[]> {
  return (await runSolc(readSources())).warnings;
}

// `bun scripts/devnet/compile.ts` warms the cache (CI runs it before the tests).
if (import.meta.main) {
  const started = performance.now();
  await compileContracts({ force: process.argv.includes("--force") });
  console.log(`devnet contracts compiled in ${Math.round(performance.now() - started)} ms`);
}
