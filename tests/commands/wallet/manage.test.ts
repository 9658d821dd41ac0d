import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decryptKeystoreJson } from "ethers";
import { scriptedPrompter } from "../../helpers/context.ts";
import { OTHER_PASSWORD, secretFile, TEST_ADDRESS, TEST_KEY, TEST_PASSWORD } from "../../unit/wallet/wallet-fixtures.ts";
import { walletCli, type WalletCli } from "./wallet-cli.ts";
import { WalletErrors } from "../../../src/errors/codes/index.ts";

async function withKey(backend: "keychain" | "keystore"): Promise<WalletCli> {
  const cli = walletCli();
  const result = await cli.run(["wallet", "import", "--stdin", "--backend", backend, "--password-file", cli.passwordFile], { stdinText: TEST_KEY });
  expect(result.code).toBe(0);
  return cli;
}

describe("wallet address", () => {
  test("prints the address and public key without a password, even with the keystore's password gone", async () => {
    const cli = await withKey("keystore");
    writeFileSync(cli.passwordFile, "");
    const text = await cli.run(["wallet", "address"]);
    expect(text.stdout.trim()).toBe(TEST_ADDRESS);
    const json = (await cli.run(["wallet", "address", "--json"])).json().data;
    expect(json).toEqual({ address: TEST_ADDRESS, backend: "keystore", publicKey: expect.stringMatching(/^0x0[23][0-9a-f]{64}$/) });
  });

  test("--qr draws a QR code above the address", async () => {
    const cli = await withKey("keychain");
    const result = await cli.run(["wallet", "address", "--qr"]);
    expect(result.stdout).toContain("▄");
    expect(result.stdout.trim().endsWith(TEST_ADDRESS)).toBe(true);
  });

  test("no wallet: exit 1 with the command that makes one", async () => {
    const result = await walletCli().run(["wallet", "address"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(WalletErrors.NO_WALLET.code);
    expect(result.stderr).toContain("wallet create");
  });
});

describe("wallet backup", () => {
  test("an encrypted v3 file, mode 600, that decrypts with the keystore's password; never overwritten without --force", async () => {
    const cli = await withKey("keystore");
    const file = join(cli.files, "backup.json");
    const result = await cli.run(["wallet", "backup", file, "--password-file", cli.passwordFile, "--json"]);
    expect(result.code).toBe(0);
    expect(result.json().data).toEqual({ address: TEST_ADDRESS, file, protection: "same-as-keystore" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await decryptKeystoreJson(readFileSync(file, "utf8"), TEST_PASSWORD)).privateKey).toBe(TEST_KEY);
    const again = await cli.run(["wallet", "backup", file, "--password-file", cli.passwordFile]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(WalletErrors.BACKUP_EXISTS.code);
    expect((await cli.run(["wallet", "backup", file, "--force", "--password-file", cli.passwordFile])).code).toBe(0);
  });

  test("with its own password from a file; a keychain key without a terminal needs one", async () => {
    const cli = await withKey("keychain");
    const file = join(cli.files, "backup.json");
    const refused = await cli.run(["wallet", "backup", file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--backup-password-file");
    const own = secretFile(cli.files, "backup-pw", OTHER_PASSWORD);
    expect((await cli.run(["wallet", "backup", file, "--backup-password-file", own])).code).toBe(0);
    expect((await decryptKeystoreJson(readFileSync(file, "utf8"), OTHER_PASSWORD)).address).toBe(TEST_ADDRESS);
  });

  test("on a terminal it offers the current password, or asks a new one twice", async () => {
    const cli = await withKey("keystore");
    const file = join(cli.files, "b.json");
    const prompter = scriptedPrompter({
      "current password?": false,
      "Password for the backup": OTHER_PASSWORD,
      again: OTHER_PASSWORD,
      "Keystore password": TEST_PASSWORD,
    });
    const result = await cli.run(["wallet", "backup", file], { tty: true, prompter });
    expect(result.code).toBe(0);
    expect((await decryptKeystoreJson(readFileSync(file, "utf8"), OTHER_PASSWORD)).address).toBe(TEST_ADDRESS);
  });
});

describe("wallet export", () => {
  test("refused without --insecure; without a terminal it also needs --yes", async () => {
    const cli = await withKey("keychain");
    const plain = await cli.run(["wallet", "export"]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain(WalletErrors.EXPORT_REFUSED.code);
    expect(plain.stderr).toContain("wallet backup");
    const noYes = await cli.run(["wallet", "export", "--insecure"]);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain("--yes");
    expect(plain.stdout + noYes.stdout + noYes.stderr).not.toContain(TEST_KEY.slice(2));
  });

  test("--insecure --yes prints the key on stdout only; --json puts it in the envelope", async () => {
    const cli = await withKey("keystore");
    const text = await cli.run(["wallet", "export", "--insecure", "--yes", "--password-file", cli.passwordFile]);
    expect(text.stdout).toBe(`${TEST_KEY}\n`);
    expect(text.stderr).not.toContain(TEST_KEY.slice(2));
    const json = await cli.run(["wallet", "export", "--insecure", "--yes", "--json", "--password-file", cli.passwordFile]);
    expect(json.json().data).toEqual({ address: TEST_ADDRESS, privateKey: TEST_KEY });
  });

  test("on a terminal, after typing the address's last 6 characters", async () => {
    const cli = await withKey("keychain");
    const ok = await cli.run(["wallet", "export", "--insecure"], { tty: true, prompter: scriptedPrompter({ "last 6": TEST_ADDRESS.slice(-6).toLowerCase() }) });
    expect(ok.stdout.trim()).toBe(TEST_KEY);
    const wrong = await cli.run(["wallet", "export", "--insecure"], { tty: true, prompter: scriptedPrompter({ "last 6": "abcdef" }) });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(WalletErrors.EXPORT_CONFIRM.code);
    expect(wrong.stdout).toBe("");
  });
});

describe("wallet change-password", () => {
  test("re-encrypts: the old password stops working, the new one works, nothing else is left behind", async () => {
    const cli = await withKey("keystore");
    const next = secretFile(cli.files, "new-pw", OTHER_PASSWORD);
    const result = await cli.run(["wallet", "change-password", "--password-file", cli.passwordFile, "--new-password-file", next]);
    expect(result.code).toBe(0);
    const old = await cli.run(["wallet", "export", "--insecure", "--yes", "--password-file", cli.passwordFile]);
    expect(old.stderr).toContain(WalletErrors.WRONG_PASSWORD.code);
    const fresh = await cli.run(["wallet", "export", "--insecure", "--yes", "--password-file", next]);
    expect(fresh.stdout.trim()).toBe(TEST_KEY);
    expect(readdirSync(cli.keystoreDir).length).toBe(2);
  });

  test("without a terminal the new password must come from --new-password-file; a keychain key has no password", async () => {
    const cli = await withKey("keystore");
    const missing = await cli.run(["wallet", "change-password", "--password-file", cli.passwordFile], { env: { FABSTIR_PASSWORD_FILE: cli.passwordFile } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--new-password-file");
    const keychain = await withKey("keychain");
    const refused = await keychain.run(["wallet", "change-password"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(WalletErrors.NOT_FOR_BACKEND.code);
  });
});

describe("wallet remove", () => {
  test("asks first (or --yes), then deletes the stored key and clears the config", async () => {
    const cli = await withKey("keychain");
    const unconfirmed = await cli.run(["wallet", "remove"]);
    expect(unconfirmed.code).toBe(2);
    const declined = await cli.run(["wallet", "remove"], { tty: true, prompter: scriptedPrompter({ "Remove the host key": false }) });
    expect(declined.code).toBe(1);
    expect(cli.keyring.entries.size).toBe(1);
    const removed = await cli.run(["wallet", "remove", "--yes", "--json"]);
    expect(removed.json().data).toEqual({ address: TEST_ADDRESS, removed: true });
    expect(cli.keyring.entries.size).toBe(0);
    expect(cli.config().wallet).toBeNull();
    expect(readdirSync(cli.keystoreDir)).toEqual([]);
  });

  test("a keystore wallet: the file goes too", async () => {
    const cli = await withKey("keystore");
    expect((await cli.run(["wallet", "remove", "--yes"])).code).toBe(0);
    expect(existsSync(join(cli.keystoreDir, `${TEST_ADDRESS.toLowerCase()}.json`))).toBe(false);
  });
});
