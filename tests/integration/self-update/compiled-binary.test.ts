/**
 * A real compiled fabstir-host replaces itself: version 1.2.0 is "installed" with a receipt, the local release site
 * serves a compiled 1.3.0, and the installed binary updates to it, then rolls back, each step run as its own process
 * (the running executable is the file being replaced).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { receiptField } from "../../unit/self-update/fixtures.ts";

const repoRoot = join(import.meta.dir, "../../..");
const ASSET = process.arch === "arm64" ? "fabstir-host-linux-arm64" : "fabstir-host-linux-x64";
const root = mkdtempSync(join(tmpdir(), "fabstir-compiled-"));
let server: ReturnType<typeof Bun.serve> | undefined;
let release = new Uint8Array();

async function compile(version: string, outfile: string): Promise<void> {
  const build = Bun.spawn(
    [
      "bun",
      "build",
      "--compile",
      "src/main.ts",
      "--outfile",
      outfile,
      "--define",
      `FABSTIR_BUILD_VERSION="${version}"`,
      "--define",
      `FABSTIR_BUILD_COMMIT="c${version.replace(/\./g, "")}"`,
    ],
    { cwd: repoRoot, stdout: "pipe", stderr: "pipe" },
  );
  if ((await build.exited) !== 0) throw new Error(`bun build failed: ${await new Response(build.stderr).text()}`);
}

async function run(binary: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: root,
    NO_COLOR: "1",
    FABSTIR_HOME: join(root, "home"),
    FABSTIR_RECEIPT_DIR: join(root, "receipt"),
    FABSTIR_NO_UPDATE_CHECK: "1",
  };
  const child = Bun.spawn([binary, ...args], { env, stdout: "pipe", stderr: "pipe", timeout: 60_000 });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

const supported = process.platform === "linux";
const binary = join(root, "bin", "fabstir-host");
const receipt = join(root, "receipt", "install-receipt");

beforeAll(async () => {
  if (!supported) return;
  mkdirSync(join(root, "bin"), { recursive: true });
  mkdirSync(join(root, "receipt"), { recursive: true });
  await Promise.all([compile("1.2.0", join(root, "old")), compile("1.3.0", join(root, "new"))]);
  copyFileSync(join(root, "old"), binary);
  release = new Uint8Array(readFileSync(join(root, "new")));
  const sums = `${createHash("sha256").update(release).digest("hex")}  ${ASSET}\n`;
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      if (path === "/latest/download/latest.json") return Response.json({ version: "1.3.0" });
      if (path === "/download/v1.3.0/SHA256SUMS") return new Response(sums);
      if (path === `/download/v1.3.0/${ASSET}`) return new Response(release);
      return new Response("not found", { status: 404 });
    },
  });
  const oldSum = createHash("sha256").update(readFileSync(binary)).digest("hex");
  writeFileSync(
    receipt,
    `channel=script\nversion=1.2.0\ncommit=c120\nasset=${ASSET}\npath=${binary}\nsha256=${oldSum}\nbase_url=http://127.0.0.1:${server.port}\nlayout=github\n`,
  );
}, 180_000);

afterAll(() => {
  server?.stop(true);
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!supported)("a compiled binary updates itself", () => {
  test("self-update, then --rollback, each by the installed binary", async () => {
    const check = await run(binary, ["self-update", "--check", "--json"]);
    expect(JSON.parse(check.stdout).data).toMatchObject({ channel: "script", current: "1.2.0", latest: "1.3.0", updateAvailable: true });

    const update = await run(binary, ["self-update", "--yes", "--json"]);
    expect(update.code).toBe(0);
    expect(JSON.parse(update.stdout).data).toMatchObject({ action: "updated", from: "1.2.0", to: "1.3.0" });
    expect((await run(binary, ["--version"])).stdout.trim()).toBe("fabstir-host 1.3.0 (c130)");
    expect(receiptField(receipt, "version")).toBe("1.3.0");

    const back = await run(binary, ["self-update", "--rollback", "--yes", "--json"]);
    expect(JSON.parse(back.stdout).data).toMatchObject({ action: "rolled-back", from: "1.3.0", to: "1.2.0" });
    expect((await run(binary, ["--version"])).stdout.trim()).toBe("fabstir-host 1.2.0 (c120)");
    expect(receiptField(receipt, "commit")).toBe("c120");
  }, 120_000);
});
