/**
 * The host key for everything that signs. Opening it costs nothing: the address comes from the configuration and the
 * compressed public key from the `<address>.pub` file, so `status`, `wallet address`, `earnings` and registration
 * metadata never ask for a password. The secret is read only when `unlock()` is called, once per process; so are
 * the stores and the crypto library, which a command that only shows the address never loads.
 */
import type { Wallet } from "ethers";
import { HostError } from "../errors/host-error.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";
import { registerSecret } from "../util/redact.ts";
import type { WalletDeps, WalletRef } from "./types.ts";
import { keystorePath, parseKeystoreText, readPublicKeyFile, writePublicKeyFile } from "./keystore-file.ts";
import { readFileSync } from "node:fs";

export interface HostWallet {
  address: string;
  backend: WalletRef["backend"];
  /** Compressed secp256k1 public key (0x + 33 bytes hex); null only when its file was lost (see requirePublicKey). */
  publicKey: string | null;
  /** Reads and decrypts the key (password sources apply to keystores); later calls return the same wallet. */
  unlock(): Promise<Wallet>;
  /** The public key, unlocking once to recover it if its file was lost (and writing the file again). */
  requirePublicKey(): Promise<string>;
}

export interface OpenWalletOptions {
  passwordFile?: string;
}

/** The public key recorded inside the keystore file itself (x-fabstir), read without decrypting anything. */
function publicKeyFromKeystore(keystoreDir: string, address: string): string | null {
  try {
    const path = keystorePath(keystoreDir, address);
    const json = parseKeystoreText(readFileSync(path, "utf8"), path);
    const value = json["x-fabstir"]?.publicKey;
    return typeof value === "string" && /^0x0[23][0-9a-f]{64}$/i.test(value) ? value : null;
  } catch {
    return null;
  }
}

export function openHostWallet(deps: WalletDeps, ref: WalletRef | null, options: OpenWalletOptions = {}): HostWallet {
  if (!ref) throw new HostError(WalletErrors.NO_WALLET, "No host key is configured.");
  let publicKey = readPublicKeyFile(deps.keystoreDir, ref.address);
  if (!publicKey && ref.backend === "keystore") publicKey = publicKeyFromKeystore(deps.keystoreDir, ref.address);
  let unlocked: Promise<Wallet> | undefined;

  const unlock = (): Promise<Wallet> => {
    unlocked ??= (async () => {
      const [{ openSecretStore }, { keyPairFromPrivateKey }, { Wallet }] = await Promise.all([
        import("./secret-store.ts"),
        import("./keystore-crypto.ts"),
        import("ethers"),
      ]);
      const privateKey = await openSecretStore(deps, ref.backend, { passwordFile: options.passwordFile }).load(ref.address);
      registerSecret(privateKey);
      const key = keyPairFromPrivateKey(privateKey);
      if (key.address.toLowerCase() !== ref.address.toLowerCase()) {
        throw new HostError(
          WalletErrors.KEYSTORE_ADDRESS_MISMATCH,
          `The stored key belongs to ${key.address}, but the configured host address is ${ref.address}.`,
          {
            hint: "Try: put the right key back with `fabstir-host wallet import --from-file <backup.json>`.",
          },
        );
      }
      if (!publicKey) {
        publicKey = key.publicKey;
        writePublicKeyFile(deps.keystoreDir, key.address, key.publicKey, ref.backend);
      }
      return new Wallet(key.privateKey);
    })();
    // A failed unlock (wrong password) may be retried by calling unlock() again.
    unlocked.catch(() => (unlocked = undefined));
    return unlocked;
  };

  return {
    address: ref.address,
    backend: ref.backend,
    get publicKey() {
      return publicKey;
    },
    unlock,
    async requirePublicKey() {
      if (publicKey) return publicKey;
      await unlock();
      if (!publicKey) throw new HostError(WalletErrors.PUBLIC_KEY_MISSING, `The public key of ${ref.address} is not recorded.`);
      return publicKey;
    },
  };
}
