/**
 * Compiles the devnet contracts with solc-js (legacy code generator, optimizer on) and
 * caches the result.
 *
 * Loading solc-js alone costs about a second, so the cache key (SHA-256 of the solc
 * version, the settings and every source) is computed without loading it: a cache hit
 * never touches the compiler.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ARTIFACTS_DIR, CONTRACTS_DIR } from "./paths.ts";
import { CONTRACT_NAMES, type Artifacts, type CompiledContract } from "./types.ts";

const require = createRequire(import.meta.url);

const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
};

/**
 * Functions whose code is written by hand (their return values are too many for the
 * legacy code generator) and whose ABI entry is therefore declared in an interface:
 * the entry is copied from the interface into the contract's ABI.
 */
const HAND_ENCODED = [{ contract: "JobMarketplaceWithModels", fn: "sessionJobs", abiFrom: "SessionJobsAbi" }] as const;

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

/** The solc version from its package.json: reading it does not load the compiler. */
export function solcVersion(): string {
  const pkgPath = require.resolve("solc/package.json");
  return (JSON.parse(readFileSync(pkgPath, "utf8")) as { version: string }).version;
}

export function readSources(): Record<string, { content: string }> {
  const sources: Record<string, { content: string }> = {};
  for (const file of readdirSync(CONTRACTS_DIR)
    .filter((f) => f.endsWith(".sol"))
    .sort()) {
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

/** What a cache file holds: the artifacts and the compiler's warnings for them. */
interface CachedBuild {
  solc: string;
  warnings: string[];
  artifacts: Artifacts;
}

export async function compileContracts(opts: CompileOptions = {}): Promise<Artifacts> {
  return (await build(opts)).artifacts;
}

/** Compiler warnings for the current sources (from the cache when there is one). */
export async function compileWarnings(opts: CompileOptions = {}): Promise<string[]> {
  return (await build(opts)).warnings;
}

let memo: { key: string; build: CachedBuild } | undefined;

async function build(opts: CompileOptions): Promise<CachedBuild> {
  const sources = readSources();
  const key = artifactsKey(sources);
  if (!opts.force && memo?.key === key) return memo.build;

  const cacheDir = opts.cacheDir ?? ARTIFACTS_DIR;
  const cacheFile = join(cacheDir, `${key}.json`);
  if (!opts.force && existsSync(cacheFile)) {
    const cached = JSON.parse(readFileSync(cacheFile, "utf8")) as Partial<CachedBuild>;
    if (cached.artifacts && cached.warnings) {
      memo = { key, build: cached as CachedBuild };
      return memo.build;
    }
  }

  const built: CachedBuild = { solc: solcVersion(), ...runSolc(sources) };
  mkdirSync(cacheDir, { recursive: true });
  // Write then rename, so a concurrent reader never sees half a file.
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(built));
  renameSync(tmp, cacheFile);
  pruneStale(cacheDir, cacheFile);
  memo = { key, build: built };
  return built;
}

/** Artifacts of older sources are never read again: keep the folder from growing. */
function pruneStale(cacheDir: string, keep: string): void {
  for (const file of readdirSync(cacheDir)) {
    const path = join(cacheDir, file);
    if (path !== keep && /^[0-9a-f]{64}\.json$/.test(file)) rmSync(path, { force: true });
  }
}

function runSolc(sources: Record<string, { content: string }>): { artifacts: Artifacts; warnings: string[] } {
  const solc = require("solc") as { compile(input: string): string };
  const input = JSON.stringify({ language: "Solidity", sources, settings: SETTINGS });
  const output = JSON.parse(solc.compile(input)) as SolcOutput;
  const problems = output.errors ?? [];
  const errors = problems.filter((e) => e.severity === "error");
  if (errors.length > 0) {
    throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  }

  const abiByName = new Map<string, unknown[]>();
  const found: Partial<Artifacts> = {};
  for (const file of Object.values(output.contracts ?? {})) {
    for (const [name, contract] of Object.entries(file)) {
      abiByName.set(name, contract.abi);
      const bytecode = contract.evm?.bytecode?.object;
      if ((CONTRACT_NAMES as readonly string[]).includes(name) && bytecode) {
        const compiled: CompiledContract = { abi: contract.abi, bytecode: `0x${bytecode}` };
        found[name as keyof Artifacts] = compiled;
      }
    }
  }
  for (const name of CONTRACT_NAMES) {
    if (!found[name]) throw new Error(`solc produced no artifact for ${name}`);
  }
  for (const { contract, fn, abiFrom } of HAND_ENCODED) {
    const isFn = (entry: { type?: string; name?: string }) => entry.type === "function" && entry.name === fn;
    const declared = (abiByName.get(abiFrom) as Array<{ type?: string; name?: string }> | undefined)?.find(isFn);
    const target = found[contract]!;
    const at = target.abi.findIndex(isFn);
    if (!declared || at < 0) throw new Error(`cannot take the ABI of ${contract}.${fn} from ${abiFrom}`);
    target.abi[at] = declared;
  }
  return { artifacts: found as Artifacts, warnings: problems.map((e) => e.formattedMessage) };
}

// `bun scripts/devnet/compile.ts` warms the cache, e.g. on a fresh clone before the tests.
if (import.meta.main) {
  const started = performance.now();
  await compileContracts({ force: process.argv.includes("--force") });
  console.log(`devnet contracts compiled in ${Math.round(performance.now() - started)} ms`);
}
