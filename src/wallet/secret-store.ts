/**
 * One interface over the two places a host key can live:
 *   - "keychain": the OS keychain (macOS Keychain, Windows Credential Manager, Linux Secret Service or kernel
 *     keyring), service "fabstir-host", account = the checksummed address. No password of ours.
 *   - "keystore": an encrypted Web3 Secret Storage v3 file in the keystore directory, unlocked with a password.
 * Both keep a small `<address>.pub` file beside, so the address and public key never need the secret.
 */
import type { SecretStore, WalletBackend, WalletDeps } from "./types.ts";
import { createKeychainStore } from "./keychain-store.ts";
import { createKeystoreStore, type KeystoreStoreOptions } from "./keystore-store.ts";

export type { SecretStore };

export type SecretStoreOptions = KeystoreStoreOptions;

export function openSecretStore(deps: WalletDeps, backend: WalletBackend, options: SecretStoreOptions = {}): SecretStore {
  return backend === "keychain" ? createKeychainStore(deps) : createKeystoreStore(deps, options);
}
