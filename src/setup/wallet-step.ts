/** The wallet step of `init`: keep the host's wallet, or create/import one in the best store that works here. */
import type { HostContext } from "../context.ts";
import type { HostConfig } from "../config/types.ts";

export interface WalletStepOptions {
  backend?: "keychain" | "keystore";
  passwordFile?: string;
  importFromFile?: string;
  importStdin?: boolean;
}

export interface WalletStepResult {
  ref: NonNullable<HostConfig["wallet"]>;
  created: boolean;
  imported: boolean;
}

export async function ensureWallet(
  _context: HostContext,
  current: HostConfig,
  options: WalletStepOptions,
  _progress: (line: string) => void,
): Promise<WalletStepResult | null> {
  const importing = !!options.importFromFile || !!options.importStdin;
  if (current.wallet && !importing) return { ref: current.wallet, created: false, imported: false };
  return null;
}
