/**
 * installNode end to end: real tarballs (made with `tar`), a local HTTP server with failure modes, GPU reports from
 * the recorded fixtures. Every failure must leave the installed builds exactly as they were.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathsFor, type Paths } from "../../../src/config/paths.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import { installNode, type InstallNodeOptions } from "../../../src/node/install/install.ts";
import { listInstalledBuilds, resolveNodeBinary } from "../../../src/node/install/installed.ts";
import { spawnRunner } from "../../../src/node/gpu/command-runner.ts";
import { detectGpus } from "../../../src/node/gpu/detect.ts";
import type { GpuReport } from "../../../src/node/gpu/types.ts";
import { NodeErrors } from "../../../src/errors/codes/node.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { gpuSpawn, type GpuMachine } from "../../fixtures/gpu/fake-spawn.ts";
import { startFileServer, type FileServer } from "../../unit/node/helpers/file-server.ts";
import { makeNodeTarball, type Tarball } from "../../unit/node/helpers/tarballs.ts";

let server: FileServer;
let paths: Paths;
const tarballs: Record<string, Tarball> = {};
const gpus: Partial<Record<GpuMachine, GpuReport>> = {};

function manifestFor(): unknown {
  const artifacts = (version: string, file: string, sha = tarballs[file]!.sha256, size = tarballs[file]!.size) =>
    (["cuda13", "cuda12", "cpu"] as const).map((variant) => ({
      platform: "linux-x64",
      variant,
      url: `${server.url}/${version}/${variant}/${file}.tar.gz`,
      size,
      sha256: sha,
    }));
  return {
    schema: 1,
    versions: [
      { version: "1.4.2", date: "2026-11-01", artifacts: artifacts("1.4.2", "v142") },
      { version: "1.3.0", date: "2026-09-01", artifacts: artifacts("1.3.0", "v130") },
      { version: "1.5.0-nobinary", date: "2026-11-10", artifacts: artifacts("1.5.0-nobinary", "nobinary") },
      { version: "1.5.0-noexec", date: "2026-11-10", artifacts: artifacts("1.5.0-noexec", "noexec") },
      { version: "1.6.0-badsum", date: "2026-11-11", artifacts: artifacts("1.6.0-badsum", "v142", "e".repeat(64)) },
    ],
  };
}

beforeAll(async () => {
  tarballs.v142 = await makeNodeTarball({ version: "1.4.2" });
  tarballs.v130 = await makeNodeTarball({ version: "1.3.0", nested: false });
  tarballs.nobinary = await makeNodeTarball({ version: "1.5.0", binary: "missing" });
  tarballs.noexec = await makeNodeTarball({ version: "1.5.0", binary: "not-executable" });
  server = await startFileServer();
  const files: Record<string, Uint8Array> = {};
  for (const [version, file] of [
    ["1.4.2", "v142"],
    ["1.3.0", "v130"],
    ["1.5.0-nobinary", "nobinary"],
    ["1.5.0-noexec", "noexec"],
    ["1.6.0-badsum", "v142"],
  ] as const) {
    for (const variant of ["cuda13", "cuda12", "cpu"]) files[`/${version}/${variant}/${file}.tar.gz`] = tarballs[file]!.bytes;
  }
  for (const [path, bytes] of Object.entries(files)) server.files.set(path, bytes);
  server.files.set("/manifest.json", new TextEncoder().encode(JSON.stringify(manifestFor())));
  server.exempt.add("/manifest.json");
  for (const machine of ["nvidia-h100", "nvidia-4x-rtx4090", "nvidia-old-driver", "none"] as const) {
    gpus[machine] = await detectGpus({ runner: spawnRunner(gpuSpawn(machine)), platform: "linux" });
  }
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  paths = pathsFor(join(mkdtempSync(join(tmpdir(), "fabstir-install-")), "home"));
});

function config(): HostConfig {
  const c = resolveConfig(undefined, {}).config;
  c.node.manifestUrl = `${server.url}/manifest.json`;
  return c;
}

const install = (extra: Partial<InstallNodeOptions> = {}) =>
  installNode({
    paths,
    config: config(),
    fetch: (i, init) => fetch(i, init),
    gpu: gpus["nvidia-h100"]!,
    platform: "linux-x64",
    download: { sleep: async () => {}, retryDelayMs: 1 },
    ...extra,
  });

/** What is on disk in the node dir: build ids, and every stray entry (staging dirs, downloads). */
function snapshot(): { builds: string[]; entries: string[]; binaries: string[] } {
  const builds = listInstalledBuilds(paths.nodeDir);
  return { builds: builds.map((b) => b.id), entries: readdirSync(paths.nodeDir).sort(), binaries: builds.map((b) => readFileSync(b.binaryPath, "utf8")) };
}

async function failsWith(promise: Promise<unknown>, code: string): Promise<HostError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  expect((error as HostError).code).toBe(code);
  return error as HostError;
}

describe("installNode", () => {
  test("happy path: picks cuda13 for the H100, verifies, unpacks, and the binary runs", async () => {
    const plans: string[] = [];
    const result = await install({ onPlan: (plan) => plans.push(plan.reason) });
    expect(result).toMatchObject({ id: "1.4.2-cuda13", version: "1.4.2", variant: "cuda13", alreadyInstalled: false });
    expect(plans[0]).toContain("CUDA 13");
    expect(execFileSync(result.binaryPath, { encoding: "utf8" }).trim()).toBe("fabstir-llm-node 1.4.2");
    expect(resolveNodeBinary(paths, config())).toBe(result.binaryPath);
    // Nothing stray: no staging dir, and the verified tarball is gone.
    expect(snapshot().entries).toEqual([".downloads", "1.4.2-cuda13"]);
    expect(readdirSync(join(paths.nodeDir, ".downloads"))).toEqual([]);
  });

  test("two versions side by side; already installed is a no-op unless forced", async () => {
    await install();
    const older = await install({ version: "1.3.0" });
    expect(older.binaryPath).toBe(join(paths.nodeDir, "1.3.0-cuda13", "fabstir-llm-node"));
    expect(snapshot().builds).toEqual(["1.4.2-cuda13", "1.3.0-cuda13"]);
    const again = await install();
    expect(again.alreadyInstalled).toBe(true);
    expect(server.requests.filter((r) => r.path.includes("1.4.2"))).toHaveLength(1);
    const forced = await install({ force: true });
    expect(forced.alreadyInstalled).toBe(false);
    expect(snapshot().builds).toEqual(["1.4.2-cuda13", "1.3.0-cuda13"]);
  });

  test("the variant follows the GPU fixture", async () => {
    expect((await install({ gpu: gpus["nvidia-4x-rtx4090"]! })).variant).toBe("cuda12");
    expect((await install({ gpu: gpus["nvidia-old-driver"]! })).variant).toBe("cpu");
    expect((await install({ gpu: gpus.none!, variant: "cuda12", force: true })).reason).toContain("--variant");
  });

  test("resumes after a dropped connection", async () => {
    server.mode.dropAfter = Math.floor(tarballs.v142!.size / 2);
    server.mode.dropTimes = 1;
    const result = await install();
    expect(result.download).toEqual({ resumedFrom: 0, attempts: 2 });
    expect(server.requests.filter((r) => r.path !== "/manifest.json").map((r) => r.range)).toEqual([null, `bytes=${server.mode.dropAfter}-`]);
  });

  test("a server that ignores Range still installs", async () => {
    server.mode.ranges = false;
    server.mode.dropAfter = 100;
    server.mode.dropTimes = 1;
    expect((await install()).alreadyInstalled).toBe(false);
  });

  describe("failures leave installed builds untouched", () => {
    beforeEach(async () => {
      await install({ version: "1.3.0" });
      server.reset();
    });

    const untouched = (before: ReturnType<typeof snapshot>) => {
      const after = snapshot();
      expect(after.builds).toEqual(before.builds);
      expect(after.binaries).toEqual(before.binaries);
      expect(after.entries.filter((e) => e.startsWith(".tmp-") || e.startsWith(".old-"))).toEqual([]);
    };

    test("checksum mismatch (manifest hash differs)", async () => {
      const before = snapshot();
      const error = await failsWith(install({ version: "1.6.0-badsum" }), NodeErrors.CHECKSUM_MISMATCH.code);
      expect(error.message).toContain("deleted");
      untouched(before);
      expect(readdirSync(join(paths.nodeDir, ".downloads"))).toEqual([]);
    });

    test("corrupt bytes on the wire", async () => {
      const before = snapshot();
      server.mode.corrupt = true;
      await failsWith(install(), NodeErrors.CHECKSUM_MISMATCH.code);
      untouched(before);
    });

    test("truncated file", async () => {
      const before = snapshot();
      server.mode.truncateTo = Math.floor(tarballs.v142!.size / 2);
      await failsWith(install(), NodeErrors.SIZE_MISMATCH.code);
      untouched(before);
    });

    test("disk full while downloading", async () => {
      const before = snapshot();
      const enospc = Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC", syscall: "write" });
      await failsWith(
        install({ download: { sleep: async () => {}, openSink: async () => ({ write: async () => Promise.reject(enospc), close: async () => {} }) } }),
        NodeErrors.DISK_FULL.code,
      );
      untouched(before);
      await failsWith(install({ download: { sleep: async () => {}, freeSpace: async () => 10 } }), NodeErrors.DISK_FULL.code);
      untouched(before);
    });

    test("an archive without an executable binary", async () => {
      const before = snapshot();
      await failsWith(install({ version: "1.5.0-nobinary" }), NodeErrors.ARCHIVE_NO_BINARY.code);
      const error = await failsWith(install({ version: "1.5.0-noexec" }), NodeErrors.ARCHIVE_NO_BINARY.code);
      expect(error.message).toContain("not an executable");
      untouched(before);
    });

    test("a forced reinstall that fails keeps the old copy", async () => {
      const before = snapshot();
      server.mode.corrupt = true;
      await failsWith(install({ version: "1.3.0", force: true }), NodeErrors.CHECKSUM_MISMATCH.code);
      untouched(before);
    });
  });

  test("no build for this platform, unknown version", async () => {
    await failsWith(install({ platform: null }), NodeErrors.UNSUPPORTED_PLATFORM.code);
    await failsWith(install({ platform: "linux-arm64" }), NodeErrors.NO_ARTIFACT.code);
    await failsWith(install({ version: "9.9.9" }), NodeErrors.VERSION_NOT_FOUND.code);
  });
});
