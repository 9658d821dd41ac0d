#!/usr/bin/env bun
/**
 * Builds the single-file `fabstir-host` binaries with `bun build --compile`, one per platform, into dist/, plus
 * SHA256SUMS. The version and git commit are baked in with --define. Native addons (the OS keychain binding) are
 * embedded for every target: the other platforms' optional packages are installed first, and a binary that still
 * carries a "Cannot require module" stub fails the build instead of failing on a user's server.
 *
 *   bun scripts/build.ts                      all targets
 *   bun scripts/build.ts --target linux-x64   one target (repeatable)
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extract as extractTarball } from "tar";
import { join } from "node:path";
import { parseArgs } from "node:util";

interface Target {
  name: string;
  bunTarget: string;
  /** The @napi-rs/keyring platform package that must be embedded. */
  keyring: string;
  exe?: boolean;
}

export const TARGETS: Target[] = [
  { name: "linux-x64", bunTarget: "bun-linux-x64", keyring: "linux-x64-gnu" },
  { name: "linux-x64-baseline", bunTarget: "bun-linux-x64-baseline", keyring: "linux-x64-gnu" },
  { name: "linux-x64-musl", bunTarget: "bun-linux-x64-musl", keyring: "linux-x64-musl" },
  { name: "linux-arm64", bunTarget: "bun-linux-arm64", keyring: "linux-arm64-gnu" },
  { name: "linux-arm64-musl", bunTarget: "bun-linux-arm64-musl", keyring: "linux-arm64-musl" },
  { name: "darwin-x64", bunTarget: "bun-darwin-x64", keyring: "darwin-x64" },
  { name: "darwin-arm64", bunTarget: "bun-darwin-arm64", keyring: "darwin-arm64" },
  { name: "windows-x64", bunTarget: "bun-windows-x64", keyring: "win32-x64-msvc", exe: true },
];

const root = join(import.meta.dir, "..");
const run = (cmd: string[], opts: { cwd?: string } = {}) => {
  const proc = Bun.spawnSync(cmd, { cwd: opts.cwd ?? root, stdout: "pipe", stderr: "pipe" });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
};

function gitCommit(): string {
  if (process.env.FABSTIR_BUILD_COMMIT) return process.env.FABSTIR_BUILD_COMMIT;
  const result = run(["git", "rev-parse", "--short=12", "HEAD"]);
  return result.code === 0 ? result.stdout.trim() : "unknown";
}

function ensureNativePackages(targets: Target[]): void {
  const missing = targets.filter((t) => !existsSync(join(root, "node_modules", "@napi-rs", `keyring-${t.keyring}`)));
  if (missing.length === 0) return;
  console.error(`installing native addons for ${missing.map((t) => t.name).join(", ")} …`);
  // Installs every platform's optional packages without touching the lockfile's resolution.
  const result = run(["bun", "install", "--os=*", "--cpu=*"]);
  if (result.code !== 0) throw new Error(`bun install --os=* --cpu=* failed:\n${result.stderr}`);
  // Package managers skip packages for another libc (the musl builds on a glibc machine): fetch those with npm pack.
  for (const target of missing.filter((t) => !existsSync(join(root, "node_modules", "@napi-rs", `keyring-${t.keyring}`))))
    unpackFromRegistry(`@napi-rs/keyring-${target.keyring}`);
  const still = missing.filter((t) => !existsSync(join(root, "node_modules", "@napi-rs", `keyring-${t.keyring}`)));
  if (still.length) throw new Error(`native addon packages still missing: ${still.map((t) => `@napi-rs/keyring-${t.keyring}`).join(", ")}`);
}

function unpackFromRegistry(name: string): void {
  const version = JSON.parse(readFileSync(join(root, "node_modules", "@napi-rs", "keyring", "package.json"), "utf8")).version as string;
  const scratch = mkdtempSync(join(tmpdir(), "fabstir-addon-"));
  try {
    const packed = run(["npm", "pack", `${name}@${version}`, "--silent", "--pack-destination", scratch]);
    if (packed.code !== 0) throw new Error(`npm pack ${name}@${version} failed:\n${packed.stderr}`);
    const tarball = join(scratch, packed.stdout.trim().split("\n").pop()!);
    const target = join(root, "node_modules", ...name.split("/"));
    mkdirSync(target, { recursive: true });
    extractTarball({ file: tarball, cwd: target, strip: 1, sync: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function binaryName(target: Target): string {
  return `fabstir-host-${target.name}${target.exe ? ".exe" : ""}`;
}

async function buildTarget(target: Target, version: string, commit: string, outDir: string): Promise<string> {
  const outfile = join(outDir, binaryName(target));
  const args = [
    "bun",
    "build",
    "src/bin.ts",
    "--compile",
    `--target=${target.bunTarget}`,
    "--minify",
    // ES modules split into chunks: what a command imports lazily is loaded only then, so every start, `--version`
    // included, reads less (about 2.5 ms less than one CommonJS bundle, measured with bytecode on linux-x64).
    "--format=esm",
    "--splitting",
    "--sourcemap=none",
    // A standalone Bun binary would otherwise read .env and bunfig.toml from whatever folder it is started in: a
    // bunfig.toml `preload` there runs its code inside the process that holds the host's key, and a .env sets its
    // environment. Looking for them also lists every folder from the working one up to /, which costs 30 ms in a
    // crowded /tmp. The binary takes its settings from its own config and its real environment only.
    "--no-compile-autoload-dotenv",
    "--no-compile-autoload-bunfig",
    "--no-compile-autoload-tsconfig",
    "--no-compile-autoload-package-json",
    `--define`,
    `FABSTIR_BUILD_VERSION=${JSON.stringify(version)}`,
    `--define`,
    `FABSTIR_BUILD_COMMIT=${JSON.stringify(commit)}`,
    // The release workflow's minisign public key: self-update then requires SHA256SUMS.sig (src/update/release-signature.ts).
    `--define`,
    `FABSTIR_BUILD_MINISIGN_PUBKEY=${JSON.stringify(process.env.FABSTIR_RELEASE_MINISIGN_PUBKEY ?? "")}`,
    "--outfile",
    outfile,
  ];
  // Bytecode makes start-up faster; fall back without it where a target does not support it.
  let result = run([...args, "--bytecode"]);
  if (result.code !== 0) result = run(args);
  if (result.code !== 0) throw new Error(`build of ${target.name} failed:\n${result.stderr || result.stdout}`);
  // Bun leaves `Cannot require module "<name>"` stubs for optional requires it could not resolve. Stubs for other
  // platforms' addons are expected; a stub for this target's own addon means the keychain would not load.
  const stubs =
    readFileSync(outfile)
      .toString("latin1")
      .match(/Cannot require module "\+"([^"]+)"/g) ?? [];
  const own = stubs.filter((stub) => stub.includes(`"@napi-rs/keyring-${target.keyring}"`));
  if (own.length > 0) {
    throw new Error(`${target.name}: the binary contains a missing-module stub for @napi-rs/keyring-${target.keyring}; the native addon was not embedded`);
  }
  return outfile;
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { target: { type: "string", multiple: true }, out: { type: "string" } } });
  const wanted = values.target?.length ? TARGETS.filter((t) => values.target!.includes(t.name)) : TARGETS;
  if (values.target?.length && wanted.length !== values.target.length) {
    throw new Error(`unknown target; choose from ${TARGETS.map((t) => t.name).join(", ")}`);
  }
  const version = process.env.FABSTIR_BUILD_VERSION ?? JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  const commit = gitCommit();
  const outDir = values.out ?? join(root, "dist");
  mkdirSync(outDir, { recursive: true });
  for (const old of readdirSync(outDir)) if (old.startsWith("fabstir-host-") || old === "SHA256SUMS") rmSync(join(outDir, old));
  ensureNativePackages(wanted);
  const sums: string[] = [];
  for (const target of wanted) {
    const started = performance.now();
    const file = await buildTarget(target, version, commit, outDir);
    sums.push(`${sha256File(file)}  ${binaryName(target)}`);
    console.error(`built ${binaryName(target)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  writeFileSync(join(outDir, "SHA256SUMS"), sums.join("\n") + "\n");
  console.error(`wrote ${join(outDir, "SHA256SUMS")} (fabstir-host ${version}, ${commit})`);
}

if (import.meta.main) {
  main().catch((error) => {
    console.error(`build failed: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  });
}
