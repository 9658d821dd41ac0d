/** The compiled binary installs a node release tarball as a user would: from a local HTTP server, then from a file. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledBinary } from "../helpers/binary.ts";
import { startFileServer, type FileServer } from "../unit/node/helpers/file-server.ts";
import { NODE_SCRIPTS, alive, makeReleaseTarball, type ReleaseTarball } from "../unit/node/helpers/release-tarball.ts";
import { NodeErrors } from "../../src/errors/codes/index.ts";

let binary: string;
let scratch: string;
let server: FileServer;
let release: ReleaseTarball;

beforeAll(async () => {
  const built = await compiledBinary();
  scratch = mkdtempSync(join(tmpdir(), "fabstir-e2e-from-"));
  binary = join(scratch, "fabstir-host");
  copyFileSync(built, binary);
  Bun.spawnSync(["chmod", "+x", binary]);
  release = await makeReleaseTarball({ label: "8.38.0-ltx-ingredients-template", script: NODE_SCRIPTS.realBanner(join(scratch, "node.pid")) });
  server = await startFileServer({ [`/${release.name}`]: release.bytes });
});
afterAll(async () => {
  await server.close();
});

/** Async, so the in-process file server keeps answering while the binary runs. */
async function run(args: string[]) {
  const child = Bun.spawn([binary, ...args, "--config-dir", join(scratch, "home")], {
    cwd: scratch,
    env: { PATH: "/usr/bin:/bin", HOME: scratch },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

describe("the compiled binary: node install --from", () => {
  test("without a manifest it explains; a URL needs --sha256; with it the build installs and the probe is stopped", async () => {
    const none = await run(["node", "install", "--json"]);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).error.code).toBe(NodeErrors.NODE_MANIFEST_UNSET.code);

    const url = `${server.url}/${release.name}`;
    const unchecked = await run(["node", "install", "--from", url]);
    expect(unchecked.code).toBe(2);
    expect(unchecked.stderr).toContain(NodeErrors.NODE_SHA256_REQUIRED.code);

    const installed = await run(["node", "install", "--from", url, "--sha256", release.sha256, "--json"]);
    expect(installed.code).toBe(0);
    expect(JSON.parse(installed.stdout).data).toMatchObject({
      id: "8.38.0-ltx-ingredients-template-2026-07-18-cuda13",
      sha256Verified: true,
      alreadyInstalled: false,
    });
    expect(alive(Number(readFileSync(join(scratch, "node.pid"), "utf8")))).toBe(false);

    const file = join(scratch, release.name);
    writeFileSync(file, release.bytes);
    const again = await run(["node", "install", "--from", file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already installed");
    expect(again.stdout).toContain(`SHA-256 ${release.sha256}: not checked`);
  });
});
