/**
 * install.sh checks SHA256SUMS.sig with minisign and SHA256SUMS.asc with gpg when a release publishes them: a good
 * signature is reported, a bad one stops the install, and a missing verifier or key is said and then skipped.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ALL_UNIX_ASSETS, makeRelease, startReleaseServer, type FakeRelease, type ReleaseServer } from "./fake-release.ts";
import { stampInstallSh } from "../../scripts/release/stamp-installers.ts";
import { INSTALL_SH, Sandbox, shells, which } from "./sandbox.ts";

const dash = shells()[1]!.argv;
const minisign = which("minisign");
const gpg = which("gpg");
const keys = mkdtempSync(join(tmpdir(), "fabstir-sign-"));
const gnupgHome = join(keys, "gnupg");
const emptyGnupgHome = join(keys, "gnupg-empty");
let minisignPublicKey = "";
let server: ReleaseServer;
const sandboxes: Sandbox[] = [];

async function run(argv: string[], env: Record<string, string> = {}): Promise<void> {
  const child = Bun.spawn(argv, { env: { PATH: process.env.PATH ?? "", ...env }, stdout: "pipe", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`${argv[0]} failed: ${stderr}`);
}

/** Signs `content` (written to a file) and returns the signature file's text. */
async function minisignOf(content: string): Promise<string> {
  writeFileSync(join(keys, "message"), content);
  await run([minisign!, "-S", "-s", join(keys, "minisign.key"), "-m", join(keys, "message"), "-x", join(keys, "message.sig")]);
  return readFileSync(join(keys, "message.sig"), "utf8");
}

async function gpgSignatureOf(content: string): Promise<string> {
  writeFileSync(join(keys, "message"), content);
  const out = join(keys, "message.asc");
  await run([gpg!, "--batch", "--yes", "--armor", "--detach-sign", "--output", out, join(keys, "message")], { GNUPGHOME: gnupgHome });
  return readFileSync(out, "utf8");
}

function withFile(release: FakeRelease, name: string, body: string): FakeRelease {
  release.files.set(name, body);
  return release;
}

beforeAll(async () => {
  const releases: FakeRelease[] = [];
  const sumsOf = (release: FakeRelease) => String(release.files.get("SHA256SUMS"));
  releases.push(makeRelease("1.0.0", ALL_UNIX_ASSETS));
  releases.push(withFile(makeRelease("3.0.0", ALL_UNIX_ASSETS), "SHA256SUMS.sig", "untrusted comment: fake\nRWQ\n"));
  if (minisign) {
    await run([minisign, "-G", "-W", "-f", "-p", join(keys, "minisign.pub"), "-s", join(keys, "minisign.key")]);
    minisignPublicKey = readFileSync(join(keys, "minisign.pub"), "utf8").trim().split("\n").at(-1)!;
    const good = makeRelease("2.0.0", ALL_UNIX_ASSETS);
    releases.push(withFile(good, "SHA256SUMS.sig", await minisignOf(sumsOf(good))));
    releases.push(withFile(makeRelease("2.0.1", ALL_UNIX_ASSETS), "SHA256SUMS.sig", await minisignOf("something else\n")));
  }
  if (gpg) {
    mkdirSync(gnupgHome, { mode: 0o700 });
    mkdirSync(emptyGnupgHome, { mode: 0o700 });
    const identity = "Fabstir Release Test <release-test@example.invalid>";
    await run([gpg, "--batch", "--passphrase", "", "--quick-gen-key", identity, "ed25519", "sign", "never"], { GNUPGHOME: gnupgHome });
    const good = makeRelease("2.1.0", ALL_UNIX_ASSETS);
    releases.push(withFile(good, "SHA256SUMS.asc", await gpgSignatureOf(sumsOf(good))));
    releases.push(withFile(makeRelease("2.1.1", ALL_UNIX_ASSETS), "SHA256SUMS.asc", await gpgSignatureOf("something else\n")));
  }
  server = startReleaseServer(releases, "3.0.0");
});

afterAll(async () => {
  server?.stop();
  for (const box of sandboxes) box.dispose();
  const gpgconf = which("gpgconf");
  if (gpgconf) {
    for (const home of [gnupgHome, emptyGnupgHome]) if (existsSync(home)) await run([gpgconf, "--kill", "all"], { GNUPGHOME: home });
  }
  rmSync(keys, { recursive: true, force: true });
});

async function install(version: string, env: Record<string, string> = {}) {
  const box = new Sandbox();
  sandboxes.push(box);
  const result = await box.run(dash, ["--version", version], { ...box.baseEnv(server.url), ...env });
  return { result, installed: existsSync(join(box.binDir, "fabstir-host")) };
}

describe("install.sh signatures", () => {
  test("a published signature without minisign on PATH is named, skipped, and the checksum still decides", async () => {
    const box = new Sandbox();
    sandboxes.push(box);
    const env = { ...box.baseEnv(server.url), PATH: box.pathWithout(["minisign"]) };
    const result = await box.run(dash, ["--version", "3.0.0"], env);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain("SHA256SUMS.sig is published but minisign is not installed");
    expect(result.stdout).toContain("Checksum verified.");
  });

  test("a release without signatures says the checksum is all there is", async () => {
    const { result } = await install("1.0.0");
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain("No signature is published for this release");
  });

  test.skipIf(!minisign)("minisign: a good signature is verified, a bad one refused, a missing key said", async () => {
    const good = await install("2.0.0", { FABSTIR_MINISIGN_PUBKEY: minisignPublicKey });
    expect(good.result.code, good.result.output).toBe(0);
    expect(good.result.stdout).toContain("Signature verified (minisign).");

    const bad = await install("2.0.1", { FABSTIR_MINISIGN_PUBKEY: minisignPublicKey });
    expect(bad.result.code).not.toBe(0);
    expect(bad.result.stderr).toContain("minisign signature of SHA256SUMS does not verify");
    expect(bad.installed).toBe(false);

    const noKey = await install("2.0.0");
    expect(noKey.result.code, noKey.result.output).toBe(0);
    expect(noKey.result.stdout).toContain("no minisign public key is configured");
  });

  test.skipIf(!minisign)("with a key configured, a stripped signature refuses: no .sig, a .asc from an unknown key, no minisign", async () => {
    const key = { FABSTIR_MINISIGN_PUBKEY: minisignPublicKey };
    const stripped = await install("1.0.0", key);
    expect(stripped.result.code).not.toBe(0);
    expect(stripped.result.stderr).toContain("no SHA256SUMS.sig is published");
    expect(stripped.installed).toBe(false);

    if (gpg) {
      const ascOnly = await install("2.1.0", { ...key, GNUPGHOME: emptyGnupgHome });
      expect(ascOnly.result.code).not.toBe(0);
      expect(ascOnly.result.stderr).toContain("no SHA256SUMS.sig is published");
      expect(ascOnly.installed).toBe(false);
    }

    const box = new Sandbox();
    sandboxes.push(box);
    const noTool = await box.run(dash, ["--version", "2.0.0"], { ...box.baseEnv(server.url), ...key, PATH: box.pathWithout(["minisign"]) });
    expect(noTool.code).not.toBe(0);
    expect(noTool.stderr).toContain("minisign is not installed");
    expect(existsSync(join(box.binDir, "fabstir-host"))).toBe(false);
  });

  test.skipIf(!minisign)("the published installer, stamped with the release key, verifies with no configuration", async () => {
    const box = new Sandbox();
    sandboxes.push(box);
    const stamped = join(box.root, "install.sh");
    writeFileSync(stamped, stampInstallSh(readFileSync(INSTALL_SH, "utf8"), minisignPublicKey));
    const good = await box.run(dash, ["--version", "2.0.0"], box.baseEnv(server.url), stamped);
    expect(good.code, good.output).toBe(0);
    expect(good.stdout).toContain("Signature verified (minisign).");
    const bad = await box.run(dash, ["--version", "2.0.1"], box.baseEnv(server.url), stamped);
    expect(bad.code).not.toBe(0);
  });

  test.skipIf(!gpg)("gpg: a good signature is verified, a bad one refused, an unknown key said", async () => {
    const good = await install("2.1.0", { GNUPGHOME: gnupgHome });
    expect(good.result.code, good.result.output).toBe(0);
    expect(good.result.stdout).toContain("Signature verified (gpg).");

    const bad = await install("2.1.1", { GNUPGHOME: gnupgHome });
    expect(bad.result.code).not.toBe(0);
    expect(bad.result.stderr).toContain("gpg signature of SHA256SUMS does not verify");
    expect(bad.installed).toBe(false);

    const unknownKey = await install("2.1.0", { GNUPGHOME: emptyGnupgHome });
    expect(unknownKey.result.code, unknownKey.result.output).toBe(0);
    expect(unknownKey.result.stdout).toContain("not in your gpg keyring");
  });
});
