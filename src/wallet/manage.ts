/**
 * Looking after an existing host key: encrypted backups, the raw export (guarded), password changes and removal.
 * Each takes the configured wallet reference; the caller updates the configuration when a result says so.
 */
import { existsSync, rmSync } from "node:fs";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";
import { atomicWriteFileSync } from "../util/atomic-write.ts";
import type { WalletDeps, WalletRef } from "./types.ts";
import { openSecretStore } from "./secret-store.ts";
import { decryptKey, encryptKey, keyPairFromPrivateKey, type KeyPair } from "./keystore-crypto.ts";
import { unlockKeystore, writeKeystore } from "./keystore-store.ts";
import { resolveNewPasswordSource, resolvePasswordSource } from "./passwords.ts";
import { keystorePath, publicKeyPath } from "./keystore-file.ts";

function requireWallet(ref: WalletRef | null): WalletRef {
  if (!ref) throw new HostError(WalletErrors.NO_WALLET, "No host key is configured.");
  return ref;
}

/** The key and, for a keystore, the password that opened it. */
async function unlockForManagement(deps: WalletDeps, ref: WalletRef, passwordFile: string | undefined): Promise<{ key: KeyPair; password?: string }> {
  if (ref.backend === "keystore") return unlockKeystore(deps, ref.address, resolvePasswordSource(deps, passwordFile));
  const privateKey = await openSecretStore(deps, "keychain").load(ref.address);
  const key = keyPairFromPrivateKey(privateKey);
  if (key.address.toLowerCase() !== ref.address.toLowerCase()) {
    throw new HostError(WalletErrors.KEYSTORE_ADDRESS_MISMATCH, `The keychain entry for ${ref.address} holds the key of ${key.address}.`);
  }
  return { key };
}

export interface BackupOptions {
  file: string;
  force?: boolean;
  /** Unlocks a keystore wallet. */
  passwordFile?: string;
  /** The backup's own password; without it: a prompt, or (keystore, no terminal) the keystore's current password. */
  backupPasswordFile?: string;
}

export interface BackupResult {
  address: string;
  file: string;
  /** Which password protects the backup (the field name avoids "password", which the redactor masks in JSON). */
  protection: "same-as-keystore" | "own";
}

export async function backupWallet(deps: WalletDeps, walletRef: WalletRef | null, options: BackupOptions): Promise<BackupResult> {
  const ref = requireWallet(walletRef);
  if (existsSync(options.file) && !options.force) {
    throw new HostError(WalletErrors.BACKUP_EXISTS, `${options.file} already exists; not overwriting it.`, {
      hint: "Try: another file name, or --force to replace it.",
    });
  }
  const { key, password: current } = await unlockForManagement(deps, ref, options.passwordFile);
  let password: string;
  let which: BackupResult["protection"] = "own";
  if (options.backupPasswordFile) {
    password = await resolveNewPasswordSource(deps, options.backupPasswordFile, "--backup-password-file").fresh();
  } else if (current && !deps.interactive.stdin) {
    password = current;
    which = "same-as-keystore";
  } else if (current && (await deps.prompter.confirm("Protect the backup with the keystore's current password?", { default: true }))) {
    password = current;
    which = "same-as-keystore";
  } else {
    password = await resolveNewPasswordSource(deps, undefined, "--backup-password-file").fresh("Password for the backup file");
  }
  const text = await encryptKey(key, password, deps.env);
  // Prove the file restores before telling anyone it is a backup.
  const check = await decryptKey(text, password, options.file);
  if (check.address !== key.address) throw new Error("backup verification produced another address");
  try {
    atomicWriteFileSync(options.file, text, { mode: 0o600 });
  } catch (error) {
    throw new HostError(CoreErrors.DISK_WRITE, `Could not write ${options.file}: ${(error as Error).message}`, { cause: error });
  }
  deps.logger.info("backup written", { address: ref.address, file: options.file });
  return { address: ref.address, file: options.file, protection: which };
}

export interface ExportOptions {
  insecure?: boolean;
  yes?: boolean;
  passwordFile?: string;
}

/** The raw key, behind --insecure and a typed confirmation (or --yes without a terminal). */
export async function exportPrivateKey(
  deps: WalletDeps,
  walletRef: WalletRef | null,
  options: ExportOptions,
): Promise<{ address: string; privateKey: string }> {
  const ref = requireWallet(walletRef);
  if (!options.insecure) throw new HostError(WalletErrors.EXPORT_REFUSED, "Printing the raw private key needs --insecure.");
  if (deps.interactive.stdin) {
    const tail = ref.address.slice(-6);
    const typed = await deps.prompter.text(`This prints the private key of ${ref.address} in clear text. Type the address's last 6 characters to go on`);
    if (typed.trim().toLowerCase() !== tail.toLowerCase()) {
      throw new HostError(WalletErrors.EXPORT_CONFIRM, "The characters typed do not match the end of the address; nothing was printed.");
    }
  } else if (!options.yes) {
    throw new HostError(CoreErrors.NOT_INTERACTIVE, "Exporting the key without a terminal needs --yes as well as --insecure.", {
      hint: "Try: fabstir-host wallet export --insecure --yes",
    });
  }
  const { key } = await unlockForManagement(deps, ref, options.passwordFile);
  deps.logger.warn("raw private key exported", { address: ref.address });
  return { address: ref.address, privateKey: key.privateKey };
}

export interface ChangePasswordOptions {
  passwordFile?: string;
  newPasswordFile?: string;
}

export async function changePassword(
  deps: WalletDeps,
  walletRef: WalletRef | null,
  options: ChangePasswordOptions,
): Promise<{ address: string; file: string }> {
  const ref = requireWallet(walletRef);
  if (ref.backend !== "keystore") {
    throw new HostError(WalletErrors.NOT_FOR_BACKEND, `The key of ${ref.address} is in the OS keychain, which has no fabstir password.`, {
      hint: "Try: protect the keychain itself (your login password), or move the key to a keystore file: wallet backup, then wallet import --from-file --backend keystore.",
    });
  }
  const { key, password: current } = await unlockKeystore(deps, ref.address, resolvePasswordSource(deps, options.passwordFile));
  const next = await resolveNewPasswordSource(deps, options.newPasswordFile, "--new-password-file").fresh("New keystore password");
  if (next === current) deps.warn("The new password is the same as the current one; the file is re-encrypted anyway.");
  // writeKeystore writes a complete, synced temp file and renames it over the old one: never a half-written keystore.
  const file = await writeKeystore(deps, key, next);
  deps.logger.info("keystore password changed", { address: ref.address });
  return { address: ref.address, file };
}

export interface RemoveOptions {
  yes?: boolean;
}

/** Deletes the key from its store (and any keystore file for the address). The caller sets config.wallet = null. */
export async function removeWallet(deps: WalletDeps, walletRef: WalletRef | null, options: RemoveOptions): Promise<{ address: string; removed: boolean }> {
  const ref = requireWallet(walletRef);
  if (!options.yes) {
    if (!deps.interactive.stdin) {
      throw new HostError(CoreErrors.NOT_INTERACTIVE, `Removing the host key ${ref.address} needs a confirmation.`, {
        hint: "Try: fabstir-host wallet remove --yes (after wallet backup)",
      });
    }
    const ok = await deps.prompter.confirm(`Remove the host key ${ref.address} from this machine? Without a backup the key and its funds are lost.`, {
      default: false,
    });
    if (!ok) throw new HostError(CoreErrors.CANCELLED, "Cancelled; the key is still here.");
  }
  let removed = await openSecretStore(deps, ref.backend).remove(ref.address);
  if (ref.backend === "keychain" && existsSync(keystorePath(deps.keystoreDir, ref.address))) {
    rmSync(keystorePath(deps.keystoreDir, ref.address), { force: true });
    removed = true;
  }
  rmSync(publicKeyPath(deps.keystoreDir, ref.address), { force: true });
  deps.logger.info("host key removed", { address: ref.address, backend: ref.backend });
  return { address: ref.address, removed };
}
