/**
 * Node release tarballs laid out as the real ones are: `fabstir-llm-node-vX.Y.Z[-label].tar.gz` unpacking to the
 * binary at the top (`tar -xzf fabstir-llm-node-v8.22.4.tar.gz && ./fabstir-llm-node --version`,
 * fabstir-llm-node@85a87b8 README.md:183-188), with no manifest and no checksum file inside.
 *
 * The "binary" is a shell script. By default it behaves as the real one does: it ignores its arguments, prints the
 * start-up banner `📦 BUILD VERSION: <VERSION>` (src/main.rs:29-31, VERSION from src/version.rs:6) and keeps
 * running, as the real node goes on to load a model and bind ports. It writes its PID beside itself first, so a
 * test can check the probe stopped it.
 */
import { create } from "tar";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { sha256Hex } from "./tarballs.ts";

export const REAL_BANNER_VERSION = "v8.38.0-ltx-ingredients-template-2026-07-18";

/** The script bodies a test can ask for. `pidFile` is where the script records its PID. */
export const NODE_SCRIPTS = {
  /** The real node: banner, then it keeps running until killed. */
  realBanner: (pidFile: string) =>
    `#!/bin/sh\necho $$ > '${pidFile}'\necho "🚀 Starting Fabstir LLM Node..."\necho ""\necho "📦 BUILD VERSION: ${REAL_BANNER_VERSION}"\necho "📅 Build Date: 2026-07-18"\nexec sleep 300\n`,
  /** A build that honours --version and exits. */
  answersVersion: (_pidFile: string, version = "8.39.0") => `#!/bin/sh\n[ "$1" = "--version" ] && { echo "fabstir-llm-node ${version}"; exit 0; }\nexit 3\n`,
  /** What glibc's loader prints when the CUDA runtime is absent. */
  missingCudart: (_pidFile: string) =>
    `#!/bin/sh\necho "fabstir-llm-node: error while loading shared libraries: libcudart.so.13: cannot open shared object file: No such file or directory" >&2\nexit 127\n`,
  /** Runs, prints nothing useful, exits. */
  silent: (_pidFile: string) => `#!/bin/sh\necho "hello"\nexit 0\n`,
} as const;

export interface ReleaseTarballOptions {
  /** The file name's version part, e.g. "8.38.0-ltx-ingredients-template". */
  label: string;
  /** Where the binary sits inside the tarball (default: at the top, as the real ones). */
  binaryAt?: string;
  script: string;
}

export interface ReleaseTarball {
  name: string;
  bytes: Uint8Array;
  sha256: string;
}

export async function makeReleaseTarball(options: ReleaseTarballOptions): Promise<ReleaseTarball> {
  const work = mkdtempSync(join(tmpdir(), "fabstir-release-"));
  try {
    const root = join(work, "root");
    const binary = join(root, options.binaryAt ?? "fabstir-llm-node");
    mkdirSync(dirname(binary), { recursive: true });
    writeFileSync(binary, options.script);
    chmodSync(binary, 0o755);
    const name = `fabstir-llm-node-v${options.label}.tar.gz`;
    const file = join(work, name);
    await create({ gzip: true, file, cwd: root, portable: true }, [(options.binaryAt ?? "fabstir-llm-node").split("/")[0]!]);
    const bytes = new Uint8Array(readFileSync(file));
    return { name, bytes, sha256: sha256Hex(bytes) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Whether a process is still alive (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
