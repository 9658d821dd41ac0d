import { describe, expect, test } from "bun:test";
import { readdirSync, existsSync } from "node:fs";
import { HDNodeWallet } from "ethers";
import { scriptedPrompter } from "../../helpers/context.ts";
import { secretFile, TEST_PASSWORD } from "../../unit/wallet/wallet-fixtures.ts";
import { phraseOnScreen, walletCli, wordRuns } from "./wallet-cli.ts";
import { WalletErrors } from "../../../src/errors/codes/index.ts";

const addressOf = (phrase: string) => HDNodeWallet.fromPhrase(phrase).address;

describe("wallet create", () => {
  test("without a keychain: an encrypted keystore, one line saying why, no mnemonic on a pipe", async () => {
    const cli = walletCli({ keychain: "none" });
    const result = await cli.run(["wallet", "create", "--password-file", cli.passwordFile]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("no usable OS keychain");
    expect(result.stderr).toContain("wallet backup");
    expect(wordRuns(result.stdout + result.stderr)).toEqual([]);
    const wallet = cli.config().wallet;
    expect(wallet.backend).toBe("keystore");
    expect(result.stdout).toContain(wallet.address);
    expect(readdirSync(cli.keystoreDir).sort()).toEqual([`${wallet.address.toLowerCase()}.json`, `${wallet.address.toLowerCase()}.pub`]);
  });

  test("--show-mnemonic prints the phrase on a pipe; with --json it is in the envelope", async () => {
    const cli = walletCli();
    const text = await cli.run(["wallet", "create", "--show-mnemonic"]);
    expect(text.code).toBe(0);
    const phrase = wordRuns(text.stdout)[0]!;
    expect(addressOf(phrase)).toBe(cli.config().wallet.address);

    const other = walletCli();
    const json = await other.run(["wallet", "create", "--show-mnemonic", "--json"]);
    const data = json.json().data;
    expect(addressOf(data.mnemonic)).toBe(data.address);
    expect(data.backend).toBe("keychain");
    expect(other.keyring.entries.has(data.address)).toBe(true);
  });

  test("--json without --show-mnemonic reports the wallet, never the phrase or key", async () => {
    const cli = walletCli();
    const result = await cli.run(["wallet", "create", "--json"]);
    const data = result.json().data;
    expect(Object.keys(data).sort()).toEqual(["address", "backend", "derivationPath", "location", "publicKey", "recoveryPhrase"]);
    expect(data.recoveryPhrase).toBe("not-shown");
    expect(result.stdout).not.toContain(cli.keyring.entries.get(data.address)!.slice(2));
  });

  test("on a terminal: shown once, three words typed back, then stored", async () => {
    const cli = walletCli();
    const asked: string[] = [];
    const prompterFor = (screen: () => string) => ({
      ...scriptedPrompter(),
      text: async (message: string) => {
        asked.push(message);
        const words = phraseOnScreen(screen()).split(" ");
        return words[Number(/the (\d+)/.exec(message)![1]) - 1]!;
      },
    });
    const result = await cli.run(["wallet", "create"], { tty: true, prompterFor });
    expect(asked).toHaveLength(3);
    expect(addressOf(phraseOnScreen(result.stdout))).toBe(cli.config().wallet.address);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("shown only this once");
    expect(cli.keyring.entries.size).toBe(1);
  }, 20_000);

  test("a configured key is not replaced without --yes; with it, it is", async () => {
    const cli = walletCli();
    await cli.run(["wallet", "create"]);
    const first = cli.config().wallet.address;
    const refused = await cli.run(["wallet", "create"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(WalletErrors.WALLET_EXISTS.code);
    expect(cli.config().wallet.address).toBe(first);
    const replaced = await cli.run(["wallet", "create", "--yes"]);
    expect(replaced.code).toBe(0);
    expect(cli.config().wallet.address).not.toBe(first);
  });

  test("a weak password or a password in the environment stores nothing", async () => {
    const cli = walletCli({ keychain: "none" });
    const weak = await cli.run(["wallet", "create", "--password-file", secretFile(cli.files, "weak", "password123")]);
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain(WalletErrors.PASSWORD_WEAK.code);
    const env = await cli.run(["wallet", "create", "--password-file", cli.passwordFile], { env: { FABSTIR_PASSWORD: TEST_PASSWORD } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain(WalletErrors.PASSWORD_IN_ENV.code);
    expect(env.stderr).not.toContain(TEST_PASSWORD);
    expect(existsSync(cli.keystoreDir) ? readdirSync(cli.keystoreDir) : []).toEqual([]);
    expect(cli.config()?.wallet ?? null).toBeNull();
  });
});
