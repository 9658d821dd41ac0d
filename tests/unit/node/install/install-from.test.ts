/**
 * `node install --from`: real release tarballs (built here, laid out as fabstir-llm-node ships them), served by a
 * local HTTP server or read from disk, unpacked, run once for their version, installed atomically.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathsFor } from "../../../../src/config/paths.ts";
import { installNodeFrom, shownUrl } from "../../../../src/node/install/from-release.ts";
import { listInstalledBuilds } from "../../../../src/node/install/installed.ts";
import { parseNodeVersion } from "../../../../src/node/install/probe-version.ts";
import { HostError } from "../../../../src/errors/host-error.ts";
import { startFileServer, type FileServer } from "../helpers/file-server.ts";
import { NODE_SCRIPTS, REAL_BANNER_VERSION, alive, makeReleaseTarball, type ReleaseTarball } from "../helpers/release-tarball.ts";
import { NodeErrors } from "../../../../src/errors/codes/index.ts";

let server: FileServer;
let scratch: string;
let real: ReleaseTarball;
const pidFile = () => join(scratch, `pid-${Math.random().toString(36).slice(2)}`);
let realPid: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "fabstir-from-"));
  realPid = join(scratch, "real.pid");
  real = await makeReleaseTarball({ label: "8.38.0-ltx-ingredients-template", script: NODE_SCRIPTS.realBanner(realPid) });
  server = await startFileServer({ [`/releases/${real.name}`]: real.bytes });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function setup() {
  const paths = pathsFor(mkdtempSync(join(tmpdir(), "fabstir-home-")));
  return { paths, fetch, spawn, env: { PATH: process.env.PATH }, download: { sleep: async () => {} } };
}

async function failure(promise: Promise<unknown>): Promise<HostError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HostError) return error;
    throw error;
  }
  throw new Error("expected a HostError");
}

describe("parseNodeVersion", () => {
  test("reads the real start-up banner and a --version answer", () => {
    // fabstir-llm-node@85a87b8 src/main.rs:30 prints "📦 BUILD VERSION: {}" with src/version.rs:6's VERSION.
    expect(parseNodeVersion(`🚀 Starting Fabstir LLM Node...\n\n📦 BUILD VERSION: ${REAL_BANNER_VERSION}\n`)).toBe(
      "8.38.0-ltx-ingredients-template-2026-07-18",
    );
    expect(parseNodeVersion("fabstir-llm-node 8.39.0\n")).toBe("8.39.0");
    expect(parseNodeVersion("hello\n")).toBeNull();
  });
});

describe("installNodeFrom", () => {
  test("a URL with --sha256: downloaded, verified, the real binary's banner read, the probe stopped, installed as cuda13", async () => {
    const s = setup();
    const url = `${server.url}/releases/${real.name}?X-Amz-Signature=secret123`;
    const result = await installNodeFrom({ ...s, from: url, sha256: real.sha256.toUpperCase() });
    expect(result).toMatchObject({
      id: "8.38.0-ltx-ingredients-template-2026-07-18-cuda13",
      version: "8.38.0-ltx-ingredients-template-2026-07-18",
      variant: "cuda13",
      sha256: real.sha256,
      sha256Verified: true,
      binaryInArchive: "fabstir-llm-node",
      alreadyInstalled: false,
    });
    // A signed link's query never reaches the record or the result.
    expect(result.source.location).toBe(shownUrl(url));
    expect(JSON.stringify(result)).not.toContain("secret123");
    const [build] = listInstalledBuilds(s.paths.nodeDir);
    expect(build).toMatchObject({ id: result.id, variant: "cuda13", sha256: real.sha256 });
    expect(readFileSync(join(build!.dir, "fabstir-install.json"), "utf8")).not.toContain("secret123");
    // The real node keeps running after its banner: the probe must have stopped it.
    const pid = Number(readFileSync(realPid, "utf8"));
    expect(alive(pid)).toBe(false);
    // The downloaded tarball is not kept; no staging directory is left behind.
    expect(readdirSync(s.paths.nodeDir).filter((n) => n.startsWith(".tmp"))).toEqual([]);
    expect(readdirSync(join(s.paths.nodeDir, ".downloads"))).toEqual([]);

    const again = await installNodeFrom({ ...s, from: url, sha256: real.sha256 });
    expect(again.alreadyInstalled).toBe(true);
  });

  test("a URL without --sha256 is refused before anything is fetched", async () => {
    const s = setup();
    const error = await failure(installNodeFrom({ ...s, from: `${server.url}/releases/${real.name}` }));
    expect(error.code).toBe(NodeErrors.NODE_SHA256_REQUIRED.code);
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain("--sha256");
    expect(server.requests).toEqual([]);
  });

  test("a wrong --sha256 fails with the mismatch and installs nothing", async () => {
    const s = setup();
    const error = await failure(installNodeFrom({ ...s, from: `${server.url}/releases/${real.name}`, sha256: "0".repeat(64) }));
    expect(error.code).toBe(NodeErrors.CHECKSUM_MISMATCH.code);
    expect(listInstalledBuilds(s.paths.nodeDir)).toEqual([]);
  });

  test("a local file: its SHA-256 is shown, unchecked without --sha256, checked with one", async () => {
    const s = setup();
    const file = join(scratch, real.name);
    writeFileSync(file, real.bytes);
    const result = await installNodeFrom({ ...s, from: file });
    expect(result).toMatchObject({ sha256: real.sha256, sha256Verified: false, source: { kind: "file", location: file } });
    expect(existsSync(file)).toBe(true); // the user's file is left alone
    const bad = await failure(installNodeFrom({ ...s, from: file, sha256: "f".repeat(64), force: true }));
    expect(bad.code).toBe(NodeErrors.CHECKSUM_MISMATCH.code);
    expect(listInstalledBuilds(s.paths.nodeDir).map((b) => b.id)).toEqual([result.id]);
  });

  test("the binary is found wherever the tarball holds it, and a build that honours --version is read too", async () => {
    const s = setup();
    const nested = await makeReleaseTarball({
      label: "8.39.0",
      binaryAt: "fabstir-llm-node-v8.39.0/target/release/fabstir-llm-node",
      script: NODE_SCRIPTS.answersVersion(pidFile()),
    });
    const file = join(scratch, nested.name);
    writeFileSync(file, nested.bytes);
    const result = await installNodeFrom({ ...s, from: file, sha256: nested.sha256 });
    expect(result).toMatchObject({ id: "8.39.0-cuda13", binaryInArchive: "fabstir-llm-node-v8.39.0/target/release/fabstir-llm-node", sha256Verified: true });
    expect(existsSync(result.binaryPath)).toBe(true);
  });

  test("a binary missing the CUDA runtime is named, and nothing is installed", async () => {
    const s = setup();
    const broken = await makeReleaseTarball({ label: "8.38.1", script: NODE_SCRIPTS.missingCudart(pidFile()) });
    const file = join(scratch, broken.name);
    writeFileSync(file, broken.bytes);
    const error = await failure(installNodeFrom({ ...s, from: file }));
    expect(error.code).toBe(NodeErrors.NODE_BINARY_WONT_RUN.code);
    expect(error.message).toContain("libcudart.so.13");
    expect(error.details).toMatchObject({ missingLibrary: "libcudart.so.13" });
    expect(listInstalledBuilds(s.paths.nodeDir)).toEqual([]);
    expect(readdirSync(s.paths.nodeDir).filter((n) => n.startsWith(".tmp"))).toEqual([]);
  });

  test("a binary that prints no version is refused", async () => {
    const s = setup();
    const silent = await makeReleaseTarball({ label: "8.38.2", script: NODE_SCRIPTS.silent(pidFile()) });
    const file = join(scratch, silent.name);
    writeFileSync(file, silent.bytes);
    const error = await failure(installNodeFrom({ ...s, from: file }));
    expect(error.code).toBe(NodeErrors.NODE_BINARY_WONT_RUN.code);
    expect(error.message).toContain("exited with code 0");
  });

  test("bad --from and --sha256 values are usage errors", async () => {
    const s = setup();
    expect((await failure(installNodeFrom({ ...s, from: join(scratch, "nope.tar.gz") }))).code).toBe(NodeErrors.NODE_SOURCE_INVALID.code);
    expect((await failure(installNodeFrom({ ...s, from: "ftp://example.org/x.tar.gz" }))).code).toBe(NodeErrors.NODE_SOURCE_INVALID.code);
    expect((await failure(installNodeFrom({ ...s, from: `${server.url}/x.tar.gz`, sha256: "abc" }))).code).toBe(NodeErrors.NODE_SOURCE_INVALID.code);
  });
});
