/** Shared test data for the release scripts: a SHA256SUMS for every asset the build writes, and a CLI runner. */
import { createHash } from "node:crypto";
import { resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dir, "..", "..");

export const BUILD_ASSETS = [
  "fabstir-host-linux-x64",
  "fabstir-host-linux-x64-baseline",
  "fabstir-host-linux-x64-musl",
  "fabstir-host-linux-arm64",
  "fabstir-host-linux-arm64-musl",
  "fabstir-host-darwin-x64",
  "fabstir-host-darwin-arm64",
  "fabstir-host-windows-x64.exe",
];

/** A stand-in hash per asset: the SHA-256 of its name, so each differs and tests can recompute it. */
export function fakeSum(asset: string): string {
  return createHash("sha256").update(asset).digest("hex");
}

export function sumsText(assets: string[] = BUILD_ASSETS): string {
  return assets.map((asset) => `${fakeSum(asset)}  ${asset}\n`).join("");
}

export function sumsMap(assets: string[] = BUILD_ASSETS): Map<string, string> {
  return new Map(assets.map((asset) => [asset, fakeSum(asset)]));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bun <script> ...args` from `cwd` and waits for it. */
export async function runScript(script: string, args: string[], cwd = REPO_ROOT, env: Record<string, string> = {}): Promise<CliResult> {
  const child = Bun.spawn([process.execPath, resolve(REPO_ROOT, script), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}
