/** Real release tarballs for tests, made with the `tar` package: a fake `fabstir-llm-node` shell script inside. */
import { create } from "tar";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";

export interface TarballOptions {
  version: string;
  /** Put the binary under a top-level folder, as release tarballs do (default true). */
  nested?: boolean;
  /** Leave the binary out, or make it non-executable. */
  binary?: "ok" | "missing" | "not-executable";
  /** Size of the incompressible filler file (default 256 KiB). */
  fillerBytes?: number;
}

export interface Tarball {
  bytes: Uint8Array;
  sha256: string;
  size: number;
}

export async function makeNodeTarball(options: TarballOptions): Promise<Tarball> {
  const work = mkdtempSync(join(tmpdir(), "fabstir-tarball-"));
  try {
    const top = options.nested === false ? "." : `fabstir-llm-node-v${options.version}`;
    const root = join(work, top);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "README.txt"), `fabstir-llm-node ${options.version}\n`);
    // Incompressible filler, so the tarball spans many network chunks like a real release does.
    mkdirSync(join(root, "lib"), { recursive: true });
    writeFileSync(join(root, "lib", "libfiller.so"), testBytes(options.fillerBytes ?? 256 * 1024, options.version.length));
    if ((options.binary ?? "ok") !== "missing") {
      const binary = join(root, "fabstir-llm-node");
      writeFileSync(binary, `#!/bin/sh\necho "fabstir-llm-node ${options.version}"\n`);
      chmodSync(binary, options.binary === "not-executable" ? 0o644 : 0o755);
    }
    const file = join(work, "release.tar.gz");
    await create({ gzip: true, file, cwd: work, portable: true }, [top === "." ? "." : top]);
    const bytes = new Uint8Array(readFileSync(file));
    return { bytes, sha256: sha256Hex(bytes), size: bytes.length };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Deterministic pseudo-random bytes, so a flipped byte or a short file is detectable. */
export function testBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
