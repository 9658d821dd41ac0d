/** In-process runs of the wallet commands against one private config directory, a fake keychain and low-cost scrypt. */
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { makeTestContext, runCli, type CliResult } from "../../helpers/context.ts";
import { createMemoryKeyringClient, type KeyringClient } from "../../../src/wallet/keyring-client.ts";
import type { Prompter } from "../../../src/util/prompter-types.ts";
import { fakeClock, secretFile, tempDir, TEST_PASSWORD, TEST_SCRYPT_N } from "../../unit/wallet/wallet-fixtures.ts";

export interface WalletCli {
  run(
    argv: string[],
    options?: { stdinText?: string; tty?: boolean; prompter?: Prompter; env?: Record<string, string>; prompterFor?: (screen: () => string) => Prompter },
  ): Promise<CliResult>;
  keyring: KeyringClient & { entries: Map<string, string> };
  home: string;
  configDir: string;
  keystoreDir: string;
  passwordFile: string;
  files: string;
  config(): any;
}

export function walletCli(options: { keychain?: "available" | "none" | "volatile" } = {}): WalletCli {
  const home = tempDir("wallet-cli-");
  const files = tempDir("wallet-files-");
  const keyring = createMemoryKeyringClient({ available: options.keychain !== "none", persistent: options.keychain !== "volatile" });
  const configDir = join(home, "fabstir");
  const cli: WalletCli = {
    keyring,
    home,
    configDir,
    keystoreDir: join(configDir, "keystore"),
    files,
    passwordFile: secretFile(files, "pw.txt", `${TEST_PASSWORD}\n`),
    async run(argv, runOptions = {}) {
      const context = makeTestContext({
        env: { HOME: home, NO_COLOR: "1", FABSTIR_TEST_SCRYPT_N: TEST_SCRYPT_N, ...runOptions.env },
        stdinText: runOptions.stdinText,
        tty: runOptions.tty ?? false,
        services: { keyring },
        clock: fakeClock(),
        cwd: files,
        ...(runOptions.prompter ? { prompter: runOptions.prompter } : {}),
      });
      // A prompter that reads the screen (stdout so far), as a person answering would.
      if (runOptions.prompterFor) context.prompter = runOptions.prompterFor(() => context.out.text());
      return runCli([...argv, "--config-dir", configDir], context);
    },
    config() {
      const path = join(configDir, "config.json");
      return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
    },
  };
  return cli;
}

/** Every run of 12 or more lowercase words (a mnemonic would be one). */
export function wordRuns(text: string): string[] {
  return text.match(/\b[a-z]{3,8}(?: [a-z]{3,8}){11,}\b/g) ?? [];
}

/** The phrase as the numbered grid on the terminal shows it ("1. word  2. word …"). */
export function phraseOnScreen(text: string): string {
  const words: string[] = [];
  for (const match of text.matchAll(/(\d+)\. ([a-z]+)/g)) words[Number(match[1]) - 1] = match[2]!;
  return words.join(" ");
}
