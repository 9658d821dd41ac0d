/**
 * The compiled linux-x64 binary for end-to-end tests. Built once per test run (reused when dist/ already has one
 * newer than every source file), so several test files share one build.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");
const target = process.arch === "arm64" ? "linux-arm64" : "linux-x64";
const binaryPath = join(root, "dist", `fabstir-host-${target}`);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let pending: Promise<string> | undefined;

export function compiledBinary(): Promise<string> {
  pending ??= (async () => {
    const fresh =
      existsSync(binaryPath) &&
      statSync(binaryPath).mtimeMs >
        Math.max(newestSource(join(root, "src")), statSync(join(root, "package.json")).mtimeMs, statSync(join(root, "scripts", "build.ts")).mtimeMs);
    if (!fresh) {
      const build = Bun.spawn(["bun", "scripts/build.ts", "--target", target], { cwd: root, stdout: "pipe", stderr: "pipe" });
      if ((await build.exited) !== 0) throw new Error(`build failed: ${await new Response(build.stderr).text()}`);
    }
    return binaryPath;
  })();
  return pending;
}
