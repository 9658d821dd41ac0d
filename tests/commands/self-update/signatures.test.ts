/**
 * self-update verifies the SHA256SUMS.sig install.sh verifies. Before, a tampered binary published with a matching
 * SHA256SUMS installed: nothing checked a signature. Signatures are made by the real minisign tool.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../helpers/context.ts";
import { pathsFor } from "../../../src/config/paths.ts";
import { verifyMinisign } from "../../../src/self-update/minisign.ts";
import { fakeBinary, makeInstall, makeRelease, sha256, startReleaseServer, type FakeInstall, type ReleaseServer } from "../../unit/self-update/fixtures.ts";
import { CoreErrors } from "../../../src/errors/codes/index.ts";

const minisign = Bun.which("minisign");
const keys = mkdtempSync(join(tmpdir(), "fabstir-minisign-"));
let server: ReleaseServer;
let install: FakeInstall;
let publicKey = "";

function generate(name: string): string {
  const made = Bun.spawnSync([minisign!, "-G", "-W", "-f", "-p", join(keys, `${name}.pub`), "-s", join(keys, `${name}.key`)]);
  if (made.exitCode !== 0) throw new Error(made.stderr.toString());
  return readFileSync(join(keys, `${name}.pub`), "utf8")
    .trim()
    .split("\n")
    .at(-1)!;
}

function sign(content: string, key: string, legacy = false, comment?: string): string {
  const file = join(keys, "message");
  Bun.spawnSync(["sh", "-c", `printf %s "$1" > "$2"`, "sh", content, file]);
  const signed = Bun.spawnSync([
    minisign!,
    "-S",
    ...(legacy ? ["-l"] : []),
    ...(comment ? ["-t", comment] : []),
    "-s",
    join(keys, `${key}.key`),
    "-m",
    file,
    "-x",
    `${file}.sig`,
  ]);
  if (signed.exitCode !== 0) throw new Error(signed.stderr.toString());
  return readFileSync(`${file}.sig`, "utf8");
}

beforeAll(() => {
  if (!minisign) return;
  publicKey = generate("release");
  generate("stranger");
  // 1.3.0: a tampered binary with a SHA256SUMS that matches it, and no signature (stripped).
  const stripped = makeRelease("1.3.0");
  stripped.files.set("fabstir-host-linux-x64", `${fakeBinary("1.3.0")}echo injected\n`);
  stripped.files.set(
    "SHA256SUMS",
    [...stripped.files]
      .filter(([n]) => n !== "SHA256SUMS")
      .map(([n, b]) => `${sha256(b)}  ${n}\n`)
      .join(""),
  );
  // 1.4.0: signed by a key this build does not trust.
  const foreign = makeRelease("1.4.0");
  foreign.files.set("SHA256SUMS.sig", sign(foreign.files.get("SHA256SUMS")!, "stranger"));
  // 1.5.0: signed by the release key.
  const good = makeRelease("1.5.0");
  good.files.set("SHA256SUMS.sig", sign(good.files.get("SHA256SUMS")!, "release", false, "fabstir-host 1.5.0"));
  // 1.6.0: 1.5.0's files and signature (as the release workflow signs: "fabstir-host 1.5.0") served as 1.6.0.
  const signed = makeRelease("1.5.0");
  const replay = { version: "1.6.0", files: new Map(signed.files) };
  replay.files.set("SHA256SUMS.sig", sign(signed.files.get("SHA256SUMS")!, "release", false, "fabstir-host 1.5.0"));
  server = startReleaseServer([stripped, foreign, good, replay], "1.5.0");
});
afterAll(() => {
  server?.stop();
  rmSync(keys, { recursive: true, force: true });
});
afterEach(() => install?.cleanup());

async function update(version: string) {
  install = makeInstall({ version: "1.2.0", baseUrl: server.url });
  const before = readFileSync(install.binary, "utf8");
  const result = await runCli(["self-update", "--yes", "--json", "--version", version], {
    env: { ...install.env, FABSTIR_MINISIGN_PUBKEY: publicKey },
    paths: pathsFor(join(install.root, "home")),
    build: { version: "1.2.0", commit: "abc" },
    services: { selfUpdate: { execPath: install.binary } },
  });
  return { result, untouched: readFileSync(install.binary, "utf8") === before };
}

describe.skipIf(!minisign)("self-update signatures", () => {
  test("a stripped signature refuses, even with a SHA256SUMS that matches the tampered binary", async () => {
    const { result, untouched } = await update("1.3.0");
    expect(result.code).toBe(1);
    expect(result.json().error.code).toBe(CoreErrors.SIGNATURE_MISSING.code);
    expect(untouched).toBe(true);
  });

  test("a signature by another key refuses", async () => {
    const { result, untouched } = await update("1.4.0");
    expect(result.json().error.code).toBe(CoreErrors.SIGNATURE_INVALID.code);
    expect(result.json().error.message).toContain("another key");
    expect(untouched).toBe(true);
  });

  test("a release signed with the release key installs", async () => {
    const { result, untouched } = await update("1.5.0");
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(untouched).toBe(false);
  });

  test("a release signed for another version refuses (an old release replayed as a new one)", async () => {
    const { result, untouched } = await update("1.6.0");
    expect(result.json().error.code).toBe(CoreErrors.SIGNATURE_INVALID.code);
    expect(result.json().error.message).toContain("signed for fabstir-host 1.5.0, not 1.6.0");
    expect(untouched).toBe(true);
  });

  test("the verifier agrees with minisign on both signature kinds, and on a changed message", () => {
    for (const legacy of [false, true]) {
      const signature = sign("a\n", "release", legacy);
      expect(verifyMinisign(Buffer.from("a\n"), signature, publicKey).ok).toBe(true);
      expect(verifyMinisign(Buffer.from("b\n"), signature, publicKey)).toEqual({ ok: false, reason: "bad-signature" });
    }
  });
});
