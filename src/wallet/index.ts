/**
 * The wallet's public surface: what commands, `init`, the daemon and registration use. (The keychain helper's entry,
 * `runKeyringChild` in keyring-child.ts, is not re-exported: importing it loads the native keychain module.)
 */
export type { WalletBackend, WalletDeps, WalletRef } from "./types.ts";
export { KEYCHAIN_SERVICE, DEFAULT_DERIVATION_PATH } from "./types.ts";
export { walletDepsFrom } from "./deps.ts";
export { openHostWallet, type HostWallet, type OpenWalletOptions } from "./signer.ts";
export {
  createWallet,
  importWallet,
  confirmReplace,
  type CreatedWallet,
  type ImportedWallet,
  type ImportWalletOptions,
  type StoreTargetOptions,
} from "./create-import.ts";
export { backupWallet, exportPrivateKey, changePassword, removeWallet } from "./manage.ts";
export { chooseBackend, probeKeychain, type BackendChoice } from "./choose-backend.ts";
export { openSecretStore, type SecretStore } from "./secret-store.ts";
export { createChildKeyringClient, createMemoryKeyringClient, type KeyringClient, type KeyringProbeResult } from "./keyring-client.ts";
export { resolvePasswordSource, type PasswordSource } from "./passwords.ts";
export { checkPasswordStrength, PASSWORD_RULE } from "./password-strength.ts";
export { scryptWorkFactor, PRODUCTION_SCRYPT_N } from "./scrypt.ts";
