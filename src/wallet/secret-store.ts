/**
 * One interface over the two places a host key can live:
 *   - "keychain": the OS keychain (macOS Keychain, Windows Credential Manager, Linux Secret Service or kernel
 *     keyring), service "fabstir-host", account = the checksummed address. No password of ours.
 *   - "keystore": an encrypted Web3 Secret Storage v3 file in the keystore directory, unlocked with a password.
 * Both keep a small `<address>.pub` file beside, so the address and public key never need the secret.
 */
import type { WalletBackend, WalletDeps } from "./types.ts";
import type { KeyPair } from "./keystore-crypto.ts";
import { createKeychainStore } from "./keychain-store.ts";
import { createKeystoreStore, type KeystoreStoreOptions } from "./keystore-store.ts";

export interface SecretStore {
  readonly backend: WalletBackend;
  /** Stores the key (replacing any copy for the same address); returns where it went, for the user. */
  save(key: KeyPair): Promise<{ location: string; note?: string }>;
  /** The private key, registered with the redactor before it is returned. */
  load(address: string): Promise<string>;
  /** Deletes the key and its public-key file; false when there was nothing to delete. */
  remove(address: string): Promise<boolean>;
}

export type SecretStoreOptions = KeystoreStoreOptions;

export function openSecretStore(deps: WalletDeps, backend: WalletBackend, options: SecretStoreOptions = {}): SecretStore {
  return backend === "keychain" ? createKeychainStore(deps) : createKeystoreStore(deps, options);
}
