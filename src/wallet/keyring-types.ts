/**
 * The keychain's vocabulary, shared by the parent (keyring-client.ts), the helper process (keyring-child.ts) and the
 * native calls (keyring-native.ts). It imports nothing, so none of those files needs another to know the shapes.
 */
export const KEYCHAIN_SERVICE = "fabstir-host";

export type KeychainStoreName = "secret-service" | "keyutils" | "native";

export interface KeyringProbeResult {
  ok: boolean;
  /** The first store that round-tripped a probe value. */
  store?: KeychainStoreName;
  /** False for the kernel keyring, which is cleared at reboot. */
  persistent?: boolean;
  /** Why each store failed, for the one-line explanation. */
  reason?: string;
}

export interface KeyringGetResult {
  value: string | null;
  store?: KeychainStoreName;
  /** True when at least one store answered (so a null value means "no entry", not "no keychain"). */
  reachable: boolean;
  reason?: string;
}

export type KeyringRequest =
  | { op: "probe" }
  | { op: "set"; account: string; secret: string; store?: KeychainStoreName }
  | { op: "get"; account: string }
  | { op: "delete"; account: string };

export type KeyringResponse = { ok: true; result: unknown } | { ok: false; error: string };

export interface KeyringClient {
  /** Writes, reads back and deletes a throwaway entry. Never throws: failures come back as `{ ok: false, reason }`. */
  probe(): Promise<KeyringProbeResult>;
  set(account: string, secret: string, store?: KeychainStoreName): Promise<{ store: KeychainStoreName; persistent: boolean }>;
  get(account: string): Promise<KeyringGetResult>;
  delete(account: string): Promise<{ deleted: boolean; reachable: boolean; reason?: string }>;
}
