/**
 * Keystore files on disk: Web3 Secret Storage v3 JSON at `<keystoreDir>/<address-lowercase>.json`, mode 0600 in a
 * 0700 directory, replaced atomically (temp file, fsync, rename), so a crash leaves the old file or the new one.
 * Before a file is used its permissions are checked: a keystore other users can read is refused until fixed.
 */
import { chmodSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { atomicWriteFileSync } from "../util/atomic-write.ts";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";

export interface KeystoreJson {
  version: number;
  address?: string;
  crypto?: unknown;
  Crypto?: unknown;
  "x-fabstir"?: { publicKey?: string };
  [field: string]: unknown;
}

export function keystorePath(keystoreDir: string, address: string): string {
  return join(keystoreDir, `${address.toLowerCase()}.json`);
}

export function publicKeyPath(keystoreDir: string, address: string): string {
  return join(keystoreDir, `${address.toLowerCase()}.pub`);
}

const RESTORE_HINT = "Try: fabstir-host wallet import --from-file <backup.json> to restore it from your backup.";

/** Makes the directory 0700 (creating it), fixing a wider mode left by an old version or a manual mkdir. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === "win32") return;
  try {
    if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  } catch {}
}

export function writePrivateFileAtomic(path: string, text: string, dir: string): void {
  ensurePrivateDir(dir);
  try {
    atomicWriteFileSync(path, text, { mode: 0o600, dirMode: 0o700 });
  } catch (error) {
    throw new HostError(CoreErrors.DISK_WRITE, `Could not write ${path}: ${(error as Error).message}`, {
      hint: "Try: free disk space or fix the directory's permissions; the previous file is unchanged.",
      cause: error,
    });
  }
}

/** Checks shape only (no password): version 3 and a crypto section. */
export function parseKeystoreText(text: string, path: string): KeystoreJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const truncated = text.trim().length > 0 && !text.trim().endsWith("}");
    throw new HostError(WalletErrors.KEYSTORE_CORRUPT, `${path} is not valid JSON${truncated ? " (it looks truncated)" : ""}.`, {
      hint: RESTORE_HINT,
      cause: error,
    });
  }
  const candidate = json as KeystoreJson | null;
  if (!candidate || typeof candidate !== "object" || candidate.version !== 3 || typeof (candidate.crypto ?? candidate.Crypto) !== "object") {
    throw new HostError(WalletErrors.KEYSTORE_CORRUPT, `${path} is not a Web3 Secret Storage (version 3) keystore.`, { hint: RESTORE_HINT });
  }
  return candidate;
}

/** Normalises the `address` field (written without 0x by most tools). */
export function keystoreAddress(json: KeystoreJson): string | undefined {
  if (typeof json.address !== "string" || json.address === "") return undefined;
  const hex = json.address.toLowerCase().replace(/^0x/, "");
  return `0x${hex}`;
}

/**
 * Reads the keystore for `address`, refusing unsafe permissions and checking that the file claims the same address.
 * Returns the raw text (ethers decrypts text) and the parsed JSON.
 */
export function readKeystore(keystoreDir: string, address: string): { path: string; text: string; json: KeystoreJson } {
  const path = keystorePath(keystoreDir, address);
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new HostError(WalletErrors.KEYSTORE_MISSING, `The keystore for ${address} is missing (expected ${path}).`, { hint: RESTORE_HINT, cause: error });
    }
    throw unreadable(path, error);
  }
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new HostError(WalletErrors.KEYSTORE_PERMISSIONS, `${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); refusing to use it.`, {
      hint: `Try: chmod 600 ${path}`,
      details: { file: path, mode: (mode & 0o777).toString(8) },
    });
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw unreadable(path, error);
  }
  const json = parseKeystoreText(text, path);
  const claimed = keystoreAddress(json);
  if (claimed && claimed !== address.toLowerCase()) {
    throw new HostError(WalletErrors.KEYSTORE_ADDRESS_MISMATCH, `${path} holds the key of ${claimed}, not ${address}.`, {
      hint: "Try: put the right keystore file back, or import the key you want with `fabstir-host wallet import`.",
    });
  }
  return { path, text, json };
}

function unreadable(path: string, error: unknown): HostError {
  return new HostError(WalletErrors.KEYSTORE_UNREADABLE, `Cannot read ${path}: ${(error as Error).message}`, {
    hint: `Try: sudo chown $(id -un) ${path} && chmod 600 ${path}`,
    cause: error,
  });
}

/** The public half, kept beside the key so address and public key never need a password. */
export function writePublicKeyFile(keystoreDir: string, address: string, publicKey: string, backend: string): void {
  const text = JSON.stringify({ address, publicKey, backend }, null, 2) + "\n";
  writePrivateFileAtomic(publicKeyPath(keystoreDir, address), text, keystoreDir);
}

export function readPublicKeyFile(keystoreDir: string, address: string): string | null {
  try {
    const json = JSON.parse(readFileSync(publicKeyPath(keystoreDir, address), "utf8")) as { address?: string; publicKey?: string };
    if (json.address?.toLowerCase() !== address.toLowerCase()) return null;
    return typeof json.publicKey === "string" && /^0x0[23][0-9a-f]{64}$/i.test(json.publicKey) ? json.publicKey : null;
  } catch {
    return null;
  }
}
