/**
 * The encrypted keystore file backend of SecretStore, and the unlock loop: a wrong password on a terminal may be
 * typed again (3 attempts, a growing pause between them); from a file or credential it fails at once after a short
 * fixed pause, so a script cannot be used to guess quickly.
 */
import { rmSync } from "node:fs";
import { HostError } from "../errors/host-error.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";
import type { SecretStore, WalletDeps } from "./types.ts";
import { decryptKey, encryptKey, WrongPasswordError, type KeyPair } from "./keystore-crypto.ts";
import { keystorePath, publicKeyPath, readKeystore, writePrivateFileAtomic, writePublicKeyFile } from "./keystore-file.ts";
import { resolvePasswordSource, type PasswordSource } from "./passwords.ts";

export const UNLOCK_ATTEMPTS = 3;
/** Pause after a wrong password from a prompt, by attempt: 1 s, 2 s, then 4 s before giving up. */
export const PROMPT_RETRY_DELAYS_MS = [1_000, 2_000, 4_000];
/** Pause after a wrong password from a file, systemd credential or stdin. */
export const NON_INTERACTIVE_DELAY_MS = 1_000;

export interface KeystoreStoreOptions {
  /** --password-file: unlocks an existing keystore, and protects a new one when no `newPassword*` is given. */
  passwordFile?: string;
  /** A file holding the password for a new keystore (e.g. change-password's --new-password-file). */
  newPasswordFile?: string;
  /** A password already read and checked (reused when importing a backup file). */
  newPassword?: string;
}

/**
 * Decrypts keystore text, asking again on a terminal after a wrong password. Returns the key and the password that
 * worked (a backup may reuse it). `expected` is checked against the decrypted key's address.
 */
export async function decryptWithRetries(
  deps: Pick<WalletDeps, "clock" | "logger" | "warn">,
  keystore: { text: string; path: string },
  source: PasswordSource,
  expected: string | undefined,
  promptLabel: string,
): Promise<{ key: KeyPair; password: string }> {
  for (let attempt = 1; attempt <= UNLOCK_ATTEMPTS; attempt++) {
    const password = await source.current(attempt === 1 ? promptLabel : `${promptLabel} (attempt ${attempt} of ${UNLOCK_ATTEMPTS})`);
    try {
      const key = await decryptKey(keystore.text, password, keystore.path);
      if (expected && key.address.toLowerCase() !== expected.toLowerCase()) {
        throw new HostError(WalletErrors.KEYSTORE_ADDRESS_MISMATCH, `${keystore.path} holds the key of ${key.address}, not ${expected}.`);
      }
      return { key, password };
    } catch (error) {
      if (!(error instanceof WrongPasswordError)) throw error;
      deps.logger.warn("wrong keystore password", { file: keystore.path, source: source.kind, attempt });
      if (!source.interactive) {
        await deps.clock.sleep(NON_INTERACTIVE_DELAY_MS);
        throw new HostError(WalletErrors.WRONG_PASSWORD, `Wrong password for ${keystore.path} (from ${source.label}).`, {
          hint: "Try: check the password file's first line (no extra spaces), or run on a terminal to type the password.",
        });
      }
      await deps.clock.sleep(PROMPT_RETRY_DELAYS_MS[attempt - 1] ?? 4_000);
      const left = UNLOCK_ATTEMPTS - attempt;
      if (left > 0) deps.warn(`Wrong password (${left} attempt${left === 1 ? "" : "s"} left).`);
    }
  }
  throw new HostError(WalletErrors.WRONG_PASSWORD, `Wrong password for ${keystore.path}, ${UNLOCK_ATTEMPTS} times.`, {
    hint: "Try: again with the right password; if it is lost, restore from your backup with `fabstir-host wallet import --from-file <backup.json>`.",
  });
}

/** Decrypts the configured keystore of `address`. */
export async function unlockKeystore(deps: WalletDeps, address: string, source: PasswordSource): Promise<{ key: KeyPair; password: string }> {
  const keystore = readKeystore(deps.keystoreDir, address);
  return decryptWithRetries(deps, keystore, source, address, `Keystore password for ${address}`);
}

/** Writes the keystore for `key` with `password` (the new file is complete and synced before it replaces the old). */
export async function writeKeystore(deps: WalletDeps, key: KeyPair, password: string): Promise<string> {
  const text = await encryptKey(key, password, deps.env);
  const path = keystorePath(deps.keystoreDir, key.address);
  writePrivateFileAtomic(path, text, deps.keystoreDir);
  writePublicKeyFile(deps.keystoreDir, key.address, key.publicKey, "keystore");
  return path;
}

export function createKeystoreStore(deps: WalletDeps, options: KeystoreStoreOptions = {}): SecretStore {
  return {
    backend: "keystore",
    async save(key) {
      const password =
        options.newPassword ??
        (await resolvePasswordSource(deps, options.newPasswordFile ?? options.passwordFile).fresh(`New keystore password for ${key.address}`));
      const path = await writeKeystore(deps, key, password);
      return { location: path };
    },
    async load(address) {
      const { key } = await unlockKeystore(deps, address, resolvePasswordSource(deps, options.passwordFile));
      return key.privateKey;
    },
    async remove(address) {
      const path = keystorePath(deps.keystoreDir, address);
      let existed = true;
      try {
        rmSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        existed = false;
      }
      rmSync(publicKeyPath(deps.keystoreDir, address), { force: true });
      return existed;
    },
  };
}
