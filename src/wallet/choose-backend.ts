/**
 * Which store gets a new key. Default: the OS keychain when one really works and keeps keys across reboots;
 * otherwise an encrypted keystore file, with one line saying why. `--backend` forces either.
 *
 * Linux detail: @napi-rs/keyring talks to the Secret Service (D-Bus: gnome-keyring, KWallet, KeePassXC), which
 * keeps keys on disk, and can fall back to the kernel keyutils keyring, which keeps them in memory only. A GPU
 * server usually has no Secret Service, and a kernel-keyring key vanishes at the next reboot, so the automatic
 * choice never picks the kernel keyring; `--backend keychain` still allows it, with a warning.
 */
import { HostError } from "../errors/host-error.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";
import type { WalletBackend, WalletDeps } from "./types.ts";
import type { KeyringProbeResult } from "./keyring-types.ts";

export interface BackendChoice {
  backend: WalletBackend;
  /** One line for the person: why this backend (shown when the keychain was not used, or is volatile). */
  explanation?: string;
}

/**
 * Whether an OS keychain really works here: writes, reads back and deletes a throwaway entry in a helper process
 * with a deadline. Never throws; `persistent: false` means the kernel keyring (cleared at reboot).
 */
export function probeKeychain(deps: Pick<WalletDeps, "keyring">): Promise<KeyringProbeResult> {
  return deps.keyring.probe();
}

export async function chooseBackend(deps: Pick<WalletDeps, "keyring">, forced?: WalletBackend): Promise<BackendChoice> {
  if (forced === "keystore") return { backend: "keystore" };
  const probe = await probeKeychain(deps);
  if (forced === "keychain") {
    if (!probe.ok) {
      throw new HostError(WalletErrors.KEYCHAIN_UNAVAILABLE, `The OS keychain does not work here: ${probe.reason ?? "no keychain answered"}.`, {
        hint: "Try: --backend keystore (an encrypted file), or start and unlock your desktop keychain.",
      });
    }
    if (probe.persistent === false) {
      return {
        backend: "keychain",
        explanation: "Using the kernel keyring as asked: it is cleared at reboot, so keep a backup (fabstir-host wallet backup <file>).",
      };
    }
    return { backend: "keychain" };
  }
  if (probe.ok && probe.persistent !== false) return { backend: "keychain" };
  const why = probe.ok
    ? "the only keychain here is the kernel keyring, which forgets keys at reboot"
    : `no usable OS keychain (${shorten(probe.reason ?? "none answered")})`;
  return { backend: "keystore", explanation: `Storing the key in an encrypted keystore file: ${why}.` };
}

function shorten(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
