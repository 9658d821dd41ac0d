/**
 * Stamping the release's minisign public key into the published installers: only a well-formed key, only into the
 * unstamped placeholder line, and the stamped script is still clean shell.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMinisignPublicKey, stampInstallPs1, stampInstallSh } from "../../scripts/release/stamp-installers.ts";
import { REPO_ROOT, runScript } from "./fixtures.ts";

const KEY = `RW${"Q".repeat(20)}abc+/${"z".repeat(29)}`;
const installSh = readFileSync(join(REPO_ROOT, "installers", "install.sh"), "utf8");
const installPs1 = readFileSync(join(REPO_ROOT, "installers", "install.ps1"), "utf8");
const work = mkdtempSync(join(tmpdir(), "fabstir-stamp-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("stamp-installers", () => {
  test("recognises minisign public keys", () => {
    expect(KEY.length).toBe(56);
    expect(isMinisignPublicKey(KEY)).toBe(true);
    expect(isMinisignPublicKey(`${KEY}A`)).toBe(false);
    expect(isMinisignPublicKey(`"; rm -rf / #${KEY.slice(13)}`)).toBe(false);
    expect(isMinisignPublicKey("untrusted comment: minisign public key")).toBe(false);
  });

  test("fills the placeholder line of each installer, once", () => {
    const sh = stampInstallSh(installSh, KEY);
    expect(sh).toContain(`\nDEFAULT_MINISIGN_PUBKEY="${KEY}"\n`);
    expect(sh.replace(`DEFAULT_MINISIGN_PUBKEY="${KEY}"`, 'DEFAULT_MINISIGN_PUBKEY=""')).toBe(installSh);
    expect(() => stampInstallSh(sh, KEY)).toThrow(/no unstamped/);
    const ps1 = stampInstallPs1(installPs1, KEY);
    expect(ps1).toContain(`\n$DefaultMinisignPubkey = '${KEY}'\n`);
    expect(() => stampInstallPs1(installPs1, "not-a-key")).toThrow(/not a minisign public key/);
  });

  test("the stamped install.sh still parses and passes shellcheck", async () => {
    const file = join(work, "install.sh");
    writeFileSync(file, stampInstallSh(installSh, KEY));
    expect(Bun.spawnSync(["sh", "-n", file]).exitCode).toBe(0);
    const shellcheck = Bun.which("shellcheck");
    expect(shellcheck, "shellcheck is not installed: apt-get install -y shellcheck").toBeTruthy();
    expect(Bun.spawnSync([shellcheck!, file]).exitCode).toBe(0);
  });

  test("the CLI stamps from MINISIGN_PUBLIC_KEY, or copies unchanged without it", async () => {
    const stamped = await runScript("scripts/release/stamp-installers.ts", ["--out", join(work, "stamped")], REPO_ROOT, { MINISIGN_PUBLIC_KEY: KEY });
    expect(stamped.code, stamped.stderr).toBe(0);
    expect(readFileSync(join(work, "stamped", "install.sh"), "utf8")).toContain(KEY);
    expect(statSync(join(work, "stamped", "install.sh")).mode & 0o111).not.toBe(0);
    const plain = await runScript("scripts/release/stamp-installers.ts", ["--out", join(work, "plain")]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(readFileSync(join(work, "plain", "install.ps1"), "utf8")).toBe(installPs1);
    const bad = await runScript("scripts/release/stamp-installers.ts", ["--out", join(work, "bad")], REPO_ROOT, { MINISIGN_PUBLIC_KEY: "nope" });
    expect(bad.code).toBe(1);
  });
});
