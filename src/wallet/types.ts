/**
 * The wallet's vocabulary. The configuration only ever holds a `WalletRef` (address + which store has the key); the
 * key itself lives in the OS keychain or in an encrypted keystore file, and is read only when something must sign.
 */
import type { Readable } from "node:stream";
import type { HostConfig } from "../config/types.ts";
import type { Clock } from "../util/clock.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import type { Prompter } from "../util/prompter-types.ts";
import type { SpawnFn } from "../context.ts";
import type { KeyringClient } from "./keyring-types.ts";
import type { KeyPair } from "./keystore-crypto.ts";
import type { ErrorCode } from "../errors/codes/define.ts";

export type WalletBackend = "keychain" | "keystore";
export type WalletRef = NonNullable<HostConfig["wallet"]>;

export { KEYCHAIN_SERVICE } from "./keyring-types.ts";
export const DEFAULT_DERIVATION_PATH = "m/44'/60'/0'/0/0";

/** What the wallet services need from the outside world: a narrow slice of HostContext (see walletDepsFrom). */
export interface WalletDeps {
  keystoreDir: string;
  env: Record<string, string | undefined>;
  /** Whether a person can answer prompts (stdin) and see secrets shown once (stdout). */
  interactive: { stdin: boolean; stdout: boolean };
  stdin: Readable;
  prompter: Prompter;
  clock: Clock;
  logger: Logger;
  spawn: SpawnFn;
  keyring: KeyringClient;
  /** One-line explanations for a person (stderr, silent with --quiet/--json). */
  note(text: string): void;
  /** Warnings a person should see even with --quiet (stderr). */
  warn(text: string): void;
  /** A warning with its code (FH09xx), through the command's reporter: stderr, or the JSON envelope. */
  warning(code: ErrorCode, text: string): void;
  /**
   * The single door through which a secret may deliberately leave (the mnemonic shown once, `export --insecure`):
   * written to stdout without redaction. Everything else goes through the redactor.
   */
  reveal(text: string): void;
}

/** Where a keystore password comes from; `interactive` sources may be asked again after a wrong answer. */
export interface PasswordOptions {
  /** --password-file: the current password (unlock), or the new one when a key is first stored. */
  passwordFile?: string;
}

export interface SecretStore {
  readonly backend: WalletBackend;
  /** Stores the key (replacing any copy for the same address); returns where it went, for the user. */
  save(key: KeyPair): Promise<{ location: string; note?: string }>;
  /** The private key, registered with the redactor before it is returned. */
  load(address: string): Promise<string>;
  /** Deletes the key and its public-key file; false when there was nothing to delete. */
  remove(address: string): Promise<boolean>;
}
