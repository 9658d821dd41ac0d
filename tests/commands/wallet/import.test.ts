import { describe, expect, test } from "bun:test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { scriptedPrompter } from "../../helpers/context.ts";
import { secretFile, TEST_ADDRESS, TEST_KEY, TEST_MNEMONIC, TEST_MNEMONIC_ADDRESS, TEST_PASSWORD } from "../../unit/wallet/wallet-fixtures.ts";
import { walletCli } from "./wallet-cli.ts";
import { CoreErrors, WalletErrors } from "../../../src/errors/codes/index.ts";

describe("wallet import", () => {
  test("a private key from a file into the keychain; nothing secret in the output", async () => {
    const cli = walletCli();
    const keyFile = secretFile(cli.files, "key.txt", `${TEST_KEY}\n`);
    const result = await cli.run(["wallet", "import", "--from-file", keyFile]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(TEST_ADDRESS);
    expect(result.stdout + result.stderr).not.toContain(TEST_KEY.slice(2));
    expect(cli.config().wallet).toEqual({ address: TEST_ADDRESS, backend: "keychain" });
    expect(cli.keyring.entries.get(TEST_ADDRESS)).toBe(TEST_KEY);
  });

  test("a mnemonic on stdin, with --path, into a keystore file", async () => {
    const cli = walletCli();
    const result = await cli.run(
      ["wallet", "import", "--stdin", "--mnemonic", "--path", "m/44'/60'/0'/0/0", "--backend", "keystore", "--password-file", cli.passwordFile, "--json"],
      {
        stdinText: TEST_MNEMONIC + "\n",
      },
    );
    expect(result.code).toBe(0);
    expect(result.json().data).toMatchObject({ address: TEST_MNEMONIC_ADDRESS, backend: "keystore", source: "mnemonic", derivationPath: "m/44'/60'/0'/0/0" });
    expect(readdirSync(cli.keystoreDir)).toContain(`${TEST_MNEMONIC_ADDRESS.toLowerCase()}.json`);
  });

  test("a hidden prompt on a terminal", async () => {
    const cli = walletCli();
    const prompter = scriptedPrompter({ "Private key or recovery phrase": TEST_KEY });
    const result = await cli.run(["wallet", "import"], { tty: true, prompter });
    expect(result.code).toBe(0);
    expect(cli.config().wallet.address).toBe(TEST_ADDRESS);
  });

  test("a key on the command line is refused and never repeated, not even in the log", async () => {
    const cli = walletCli();
    const result = await cli.run(["wallet", "import", TEST_KEY]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("takes no arguments");
    expect(result.stdout + result.stderr).not.toContain(TEST_KEY.slice(2));
    await result.context.logger.close();
    const log = readFileSync(result.context.logger.filePath!, "utf8");
    expect(log).toContain(CoreErrors.USAGE.code);
    expect(log).not.toContain(TEST_KEY.slice(2));
    expect(cli.config()).toBeUndefined();
  });

  test("bad input: each mistake has its code, and the input is never echoed", async () => {
    const cli = walletCli();
    const cases: [string, string][] = [
      [TEST_KEY.slice(0, 50), WalletErrors.PRIVATE_KEY_LENGTH.code],
      [TEST_KEY.slice(0, 65) + "g", WalletErrors.PRIVATE_KEY_NOT_HEX.code],
      ["0x" + "0".repeat(64), WalletErrors.PRIVATE_KEY_RANGE.code],
      [TEST_MNEMONIC.replace("junk", "test"), WalletErrors.MNEMONIC_CHECKSUM.code],
      ["test test test", WalletErrors.MNEMONIC_WORDS.code],
    ];
    for (const [input, code] of cases) {
      const result = await cli.run(["wallet", "import", "--stdin"], { stdinText: input });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(code);
      expect(result.stderr).not.toContain(input.slice(2, 40));
    }
  });

  test("no source without a terminal, or two sources at once, are usage errors", async () => {
    const cli = walletCli();
    const none = await cli.run(["wallet", "import"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--stdin");
    const both = await cli.run(["wallet", "import", "--stdin", "--from-file", "x"], { stdinText: TEST_KEY });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(WalletErrors.KEY_INPUT.code);
  });

  test("importing a different key over the configured one asks; the same key again does not", async () => {
    const cli = walletCli();
    await cli.run(["wallet", "import", "--stdin"], { stdinText: TEST_KEY });
    const again = await cli.run(["wallet", "import", "--stdin"], { stdinText: TEST_KEY });
    expect(again.code).toBe(0);
    const other = await cli.run(["wallet", "import", "--stdin"], { stdinText: TEST_MNEMONIC });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(WalletErrors.WALLET_EXISTS.code);
    const declined = await cli.run(["wallet", "import"], {
      tty: true,
      prompter: scriptedPrompter({ "Private key or recovery phrase": TEST_MNEMONIC, "Replace it?": false }),
    });
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain(CoreErrors.CANCELLED.code);
    expect(cli.config().wallet.address).toBe(TEST_ADDRESS);
    const forced = await cli.run(["wallet", "import", "--stdin", "--force"], { stdinText: TEST_MNEMONIC });
    expect(forced.code).toBe(0);
    expect(cli.config().wallet.address).toBe(TEST_MNEMONIC_ADDRESS);
  });

  test("restores from a `wallet backup` file, keeping the backup's password for the keystore", async () => {
    const cli = walletCli({ keychain: "none" });
    await cli.run(["wallet", "import", "--stdin", "--password-file", cli.passwordFile], { stdinText: TEST_KEY });
    const backup = join(cli.files, "backup.json");
    expect((await cli.run(["wallet", "backup", backup, "--password-file", cli.passwordFile])).code).toBe(0);
    expect((await cli.run(["wallet", "remove", "--yes"])).code).toBe(0);
    const restored = await cli.run(["wallet", "import", "--from-file", backup, "--password-file", cli.passwordFile, "--json"]);
    expect(restored.code).toBe(0);
    expect(restored.json().data).toMatchObject({ address: TEST_ADDRESS, source: "keystore-file", backend: "keystore" });
    const exported = await cli.run(["wallet", "export", "--insecure", "--yes", "--password-file", cli.passwordFile]);
    expect(exported.stdout.trim()).toBe(TEST_KEY);
    const wrong = await cli.run(["wallet", "import", "--from-file", backup, "--password-file", secretFile(cli.files, "bad", "Not-The-Password-1")]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(WalletErrors.WRONG_PASSWORD.code);
    expect(wrong.stderr).not.toContain(TEST_PASSWORD);
  });
});
