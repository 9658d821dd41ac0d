/** The OS keychain backend of SecretStore. Every call goes through the KeyringClient (a helper process with a deadline). */
import { rmSync } from "node:fs";
import { HostError } from "../errors/host-error.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";
import { registerSecret } from "../util/redact.ts";
import { KEYCHAIN_SERVICE, type SecretStore, type WalletDeps } from "./types.ts";
import { publicKeyPath, writePublicKeyFile } from "./keystore-file.ts";

const STORE_LABEL: Record<string, string> = {
  "secret-service": "the Secret Service keyring",
  keyutils: "the kernel keyring",
  native: "the OS keychain",
};

export function createKeychainStore(deps: WalletDeps): SecretStore {
  return {
    backend: "keychain",
    async save(key) {
      const result = await deps.keyring.set(key.address, key.privateKey);
      writePublicKeyFile(deps.keystoreDir, key.address, key.publicKey, "keychain");
      const where = `${STORE_LABEL[result.store] ?? "the OS keychain"} (service ${KEYCHAIN_SERVICE}, account ${key.address})`;
      const note = result.persistent ? undefined : "The kernel keyring forgets keys at reboot: make a backup now (fabstir-host wallet backup <file>).";
      return { location: where, note };
    },
    async load(address) {
      const result = await deps.keyring.get(address);
      if (result.value) {
        registerSecret(result.value);
        return result.value;
      }
      if (!result.reachable) {
        throw new HostError(
          WalletErrors.KEYCHAIN_UNAVAILABLE,
          `The OS keychain that holds the key of ${address} cannot be reached${result.reason ? ` (${result.reason})` : ""}.`,
          {
            hint: "Try: unlock your desktop keychain (or log in to the desktop session), then run the command again.",
          },
        );
      }
      throw new HostError(WalletErrors.KEYCHAIN_ENTRY_MISSING, `The OS keychain has no key for ${address} (service ${KEYCHAIN_SERVICE}).`, {
        hint: "Try: fabstir-host wallet import --from-file <backup.json> (the backup made with `wallet backup`); the address stays the same.",
      });
    },
    async remove(address) {
      const result = await deps.keyring.delete(address);
      if (!result.reachable) {
        throw new HostError(
          WalletErrors.KEYCHAIN_UNAVAILABLE,
          `Cannot reach the OS keychain to delete the key of ${address}${result.reason ? ` (${result.reason})` : ""}.`,
          {
            hint: "Try: unlock the keychain and run the command again; nothing was removed.",
          },
        );
      }
      rmSync(publicKeyPath(deps.keystoreDir, address), { force: true });
      return result.deleted;
    },
  };
}
