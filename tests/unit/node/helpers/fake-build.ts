/** An installed build laid out the way installNode leaves it, without downloading anything. */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { INSTALL_META_FILE } from "../../../../src/node/install/installed.ts";

/** Lays out an installed build the way installNode leaves it. */
export function fakeBuild(nodeDir: string, version: string, variant: "cuda13" | "cuda12" | "cpu", executable = true): string {
  const dir = join(nodeDir, `${version}-${variant}`);
  mkdirSync(join(dir, "bin"), { recursive: true });
  const binary = join(dir, "bin", "fabstir-llm-node");
  writeFileSync(binary, "#!/bin/sh\necho fake\n");
  chmodSync(binary, executable ? 0o755 : 0o644);
  writeFileSync(
    join(dir, INSTALL_META_FILE),
    JSON.stringify({
      version,
      variant,
      platform: "linux-x64",
      binary: "bin/fabstir-llm-node",
      sha256: "a".repeat(64),
      url: "https://x",
      installedAt: "2026-11-25T00:00:00Z",
    }),
  );
  return binary;
}
