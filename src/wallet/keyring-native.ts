/**
 * Direct calls into the OS keychain through @napi-rs/keyring. These calls are synchronous and can block forever (a
 * D-Bus session bus that never answers, a locked keychain waiting for an unlock dialog nobody sees), so they only
 * ever run inside the short-lived helper process of keyring-child.ts, which the parent kills on timeout.
 *
 * On Linux the binding offers two stores: the Secret Service (gnome-keyring, KWallet, KeePassXC over D-Bus; on disk,
 * survives reboots) and the kernel keyutils keyring (in memory, gone at reboot). We pin each call to one store
 * instead of the binding's silent fallback, so we know — and can tell the user — which one holds the key.
 */
import { Entry } from "@napi-rs/keyring";
import { randomBytes } from "node:crypto";
import { KEYCHAIN_SERVICE, type KeychainStoreName, type KeyringGetResult, type KeyringProbeResult } from "./keyring-types.ts";

function storesToTry(): KeychainStoreName[] {
  return process.platform === "linux" ? ["secret-service", "keyutils"] : ["native"];
}

function entryFor(account: string, store: KeychainStoreName): Entry {
  if (store === "native") return new Entry(KEYCHAIN_SERVICE, account);
  return new Entry(KEYCHAIN_SERVICE, account, { linux: { store } });
}

function describe(store: KeychainStoreName, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${store}: ${message.split("\n")[0]}`;
}

export function nativeProbe(): KeyringProbeResult {
  const reasons: string[] = [];
  const account = `probe-${process.pid}-${randomBytes(4).toString("hex")}`;
  const token = randomBytes(16).toString("hex");
  for (const store of storesToTry()) {
    try {
      const entry = entryFor(account, store);
      entry.setPassword(token);
      const read = entry.getPassword();
      entry.deletePassword();
      if (read === token) return { ok: true, store, persistent: store !== "keyutils" };
      reasons.push(`${store}: read back a different value`);
    } catch (error) {
      reasons.push(describe(store, error));
    }
  }
  return { ok: false, reason: reasons.join("; ") };
}

/** Stores the secret in the first store that accepts it and reads it back; `only` pins one store. */
export function nativeSet(account: string, secret: string, only?: KeychainStoreName): { store: KeychainStoreName; persistent: boolean } {
  const reasons: string[] = [];
  for (const store of only ? [only] : storesToTry()) {
    try {
      const entry = entryFor(account, store);
      entry.setPassword(secret);
      if (entry.getPassword() !== secret) throw new Error("the stored value did not read back");
      return { store, persistent: store !== "keyutils" };
    } catch (error) {
      reasons.push(describe(store, error));
    }
  }
  throw new Error(reasons.join("; "));
}

/** Looks in every store: a key written while D-Bus was away sits in the kernel keyring, and vice versa. */
export function nativeGet(account: string): KeyringGetResult {
  const reasons: string[] = [];
  let reachable = false;
  for (const store of storesToTry()) {
    try {
      const value = entryFor(account, store).getPassword();
      reachable = true;
      if (value !== null && value !== undefined) return { value, store, reachable };
    } catch (error) {
      reasons.push(describe(store, error));
    }
  }
  return { value: null, reachable, reason: reasons.join("; ") || undefined };
}

export function nativeDelete(account: string): { deleted: boolean; reachable: boolean; reason?: string } {
  const reasons: string[] = [];
  let deleted = false;
  let reachable = false;
  for (const store of storesToTry()) {
    try {
      deleted = entryFor(account, store).deletePassword() || deleted;
      reachable = true;
    } catch (error) {
      reasons.push(describe(store, error));
    }
  }
  return { deleted, reachable, reason: reasons.join("; ") || undefined };
}
