import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTestContext, runCli } from "../../helpers/context.ts";
import { gpuSpawn, type GpuMachine } from "../../fixtures/gpu/fake-spawn.ts";
import { startFileServer, type FileServer } from "../../unit/node/helpers/file-server.ts";
import { makeNodeTarball, type Tarball } from "../../unit/node/helpers/tarballs.ts";
import { NodeErrors } from "../../../src/errors/codes/index.ts";

let server: FileServer;
let tarball: Tarball;

beforeAll(async () => {
  tarball = await makeNodeTarball({ version: "1.4.2", fillerBytes: 64 * 1024 });
  server = await startFileServer();
  const artifacts = (version: string) =>
    (["cuda13", "cuda12", "cpu"] as const).map((variant) => ({
      platform: "linux-x64",
      variant,
      url: `${server.url}/${version}-${variant}.tar.gz`,
      size: tarball.size,
      sha256: tarball.sha256,
    }));
  for (const version of ["1.4.2", "1.3.0"]) for (const variant of ["cuda13", "cuda12", "cpu"]) server.files.set(`/${version}-${variant}.tar.gz`, tarball.bytes);
  const manifest = {
    schema: 1,
    versions: [
      { version: "1.4.2", date: "2026-11-01", artifacts: artifacts("1.4.2") },
      { version: "1.3.0", date: "2026-09-01", artifacts: artifacts("1.3.0") },
    ],
  };
  server.files.set("/manifest.json", new TextEncoder().encode(JSON.stringify(manifest)));
  server.exempt.add("/manifest.json");
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

/** A context whose config points at the local manifest and whose GPU is a fixture machine. */
function hostContext(machine: GpuMachine = "nvidia-h100") {
  const context = makeTestContext({ spawn: gpuSpawn(machine), services: { nodePlatform: "linux-x64" } });
  mkdirSync(context.paths.home, { recursive: true });
  writeFileSync(context.paths.configFile, JSON.stringify({ version: 1, node: { manifestUrl: `${server.url}/manifest.json` } }));
  return context;
}

const savedConfig = (context: ReturnType<typeof hostContext>) => JSON.parse(readFileSync(context.paths.configFile, "utf8"));

describe("node install / list / use / remove", () => {
  test("install explains the choice, installs, and lists", async () => {
    const context = hostContext();
    const install = await runCli(["node", "install"], context);
    expect(install.code).toBe(0);
    expect(install.stderr).toContain("GPU: 1× NVIDIA H100 80GB HBM3");
    expect(install.stderr).toContain("Build: 1.4.2-cuda13 for linux-x64");
    expect(install.stderr).toContain("supports CUDA 13.0");
    expect(install.stdout).toContain("Installed fabstir-llm-node 1.4.2-cuda13");
    // Not a terminal: no progress bar redraws in the output.
    expect(install.stderr).not.toContain("[");

    const list = await runCli(["node", "list", "--json"], context);
    expect(list.code).toBe(0);
    const data = list.json().data;
    expect(data.builds.map((b: { id: string; inUse: boolean }) => [b.id, b.inUse])).toEqual([["1.4.2-cuda13", true]]);
    expect(data.active).toMatchObject({ source: "newest", id: "1.4.2-cuda13" });

    const again = await runCli(["node", "install", "--json"], context);
    expect(again.json().data).toMatchObject({ alreadyInstalled: true, id: "1.4.2-cuda13" });
  });

  test("use records the choice in the config; remove refuses it unless --force", async () => {
    const context = hostContext("nvidia-4x-rtx4090");
    expect((await runCli(["node", "install", "1.3.0"], context)).code).toBe(0);
    expect((await runCli(["node", "install"], context)).code).toBe(0);
    const use = await runCli(["node", "use", "1.3.0"], context);
    expect(use.code).toBe(0);
    expect(use.stdout).toContain("Using fabstir-llm-node 1.3.0-cuda12");
    expect(savedConfig(context).node.version).toBe("1.3.0-cuda12");

    const text = (await runCli(["node", "list"], context)).stdout;
    expect(text).toMatch(/\*\s+1\.3\.0-cuda12/);
    expect(text).toContain("In use: 1.3.0-cuda12");

    const refused = await runCli(["node", "remove", "1.3.0"], context);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(NodeErrors.NODE_IN_USE.code);
    expect(refused.stderr).toContain("--force");

    const removed = await runCli(["node", "remove", "1.3.0", "--force", "--json"], context);
    expect(removed.code).toBe(0);
    expect(removed.json().data).toMatchObject({ removed: "1.3.0-cuda12", wasInUse: true, selectionCleared: true });
    expect(savedConfig(context).node.version ?? null).toBeNull();
    expect(existsSync(join(context.paths.nodeDir, "1.3.0-cuda12"))).toBe(false);
    expect((await runCli(["node", "remove", "1.4.2"], context)).code).toBe(2); // the newest is in use now
  });

  test("use / remove of a build that is not installed", async () => {
    const context = hostContext();
    const use = await runCli(["node", "use", "9.9.9", "--json"], context);
    expect(use.code).toBe(2);
    expect(use.json().error).toMatchObject({ code: NodeErrors.NODE_VERSION_NOT_INSTALLED.code });
    expect(use.json().error.hint).toContain("node install 9.9.9");
  });

  test("list --available marks the build that fits this GPU", async () => {
    const context = hostContext("nvidia-old-driver");
    const result = await runCli(["node", "list", "--available"], context);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1\.4\.2\s+cpu \(fits this GPU\)/);
    expect(result.stdout).toContain("only CUDA 11.4");
    const json = (await runCli(["node", "list", "--available", "--json"], context)).json().data;
    expect(json.recommended.variant).toBe("cpu");
    expect(json.releases.map((r: { version: string }) => r.version)).toEqual(["1.4.2", "1.3.0"]);
  });

  test("a corrupt download fails with the code, the hint, and nothing installed", async () => {
    const context = hostContext();
    server.mode.corrupt = true;
    const result = await runCli(["node", "install", "--json"], context);
    expect(result.code).toBe(1);
    expect(result.json().error).toMatchObject({ code: NodeErrors.CHECKSUM_MISMATCH.code });
    expect((await runCli(["node", "list", "--json"], context)).json().data.builds).toEqual([]);
  });

  test("an unknown --variant is a usage error", async () => {
    const result = await runCli(["node", "install", "--variant", "rocm"], hostContext());
    expect(result.code).toBe(2);
  });
});
