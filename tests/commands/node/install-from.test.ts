/** `node install --from` and `node install` with no manifest, in-process through the CLI. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestContext, runCli } from "../../helpers/context.ts";
import { startFileServer, type FileServer } from "../../unit/node/helpers/file-server.ts";
import { NODE_SCRIPTS, makeReleaseTarball, type ReleaseTarball } from "../../unit/node/helpers/release-tarball.ts";
import { NodeErrors } from "../../../src/errors/codes/index.ts";

let server: FileServer;
let release: ReleaseTarball;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "fabstir-cmd-from-"));
  release = await makeReleaseTarball({ label: "8.38.0", script: NODE_SCRIPTS.realBanner(join(scratch, "pid")) });
  server = await startFileServer({ [`/${release.name}`]: release.bytes });
});
afterAll(async () => {
  await server.close();
});

const context = () => makeTestContext({ env: { HOME: tmpdir(), NO_COLOR: "1", PATH: process.env.PATH ?? "/usr/bin:/bin" } });

describe("node install --from", () => {
  test("a URL with --sha256 installs, says what it checked, and node list shows the build", async () => {
    const ctx = context();
    const result = await runCli(["node", "install", "--from", `${server.url}/${release.name}`, "--sha256", release.sha256], ctx);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Installed fabstir-llm-node 8.38.0-ltx-ingredients-template-2026-07-18 (cuda13)");
    expect(result.stdout).toContain(`SHA-256 ${release.sha256} (matches --sha256)`);
    const list = await runCli(["node", "list", "--json"], ctx);
    expect(list.json().data.active).toMatchObject({ source: "newest", id: "8.38.0-ltx-ingredients-template-2026-07-18-cuda13" });
  });

  test("a local file shows its SHA-256 as unchecked; --json carries it", async () => {
    const file = join(scratch, release.name);
    writeFileSync(file, release.bytes);
    const result = await runCli(["node", "install", "--from", file, "--json"], context());
    expect(result.code).toBe(0);
    expect(result.json().data).toMatchObject({ sha256: release.sha256, sha256Verified: false, variant: "cuda13" });
    const text = await runCli(["node", "install", "--from", file, "--force"], context());
    expect(text.stdout).toContain("not checked (no --sha256)");
  });

  test("a URL without --sha256 is a usage error with the code and what to pass", async () => {
    const result = await runCli(["node", "install", "--from", `${server.url}/${release.name}`, "--json"], context());
    expect(result.code).toBe(2);
    expect(result.json().error).toMatchObject({ code: NodeErrors.NODE_SHA256_REQUIRED.code });
    expect(result.json().error.hint).toContain("--sha256");
  });
});

describe("node install with no manifest published", () => {
  test("says what to do instead of fetching a URL that does not exist", async () => {
    const ctx = context();
    let fetched = 0;
    ctx.fetch = async () => {
      fetched += 1;
      return new Response("not found", { status: 404 });
    };
    const result = await runCli(["node", "install", "--json"], ctx);
    expect(result.code).toBe(2);
    expect(result.json().error).toMatchObject({ code: NodeErrors.NODE_MANIFEST_UNSET.code });
    expect(result.json().error.hint).toContain("node install --from");
    expect(fetched).toBe(0);
    const available = await runCli(["node", "list", "--available", "--json"], ctx);
    expect(available.json().error.code).toBe(NodeErrors.NODE_MANIFEST_UNSET.code);
    expect(fetched).toBe(0);
  });
});
