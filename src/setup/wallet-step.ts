/**
 * The wallet step of `init`: keep the host's wallet, or create/import one in the best store that works here (the OS
 * keychain when it really works, else an encrypted keystore file), with a one-line explanation of the choice.
 */
import type { HostContext } from "../context.ts";
import type { HostConfig } from "../config/types.ts";
import { createWallet, importWallet, walletDepsFrom } from "../wallet/index.ts";

export interface WalletStepOptions {
  backend?: "keychain" | "keystore";
  passwordFile?: string;
  importFromFile?: string;
  importStdin?: boolean;
  /** --yes: replace a configured wallet when importing, without asking. */
  yes?: boolean;
}

export interface WalletStepResult {
  ref: NonNullable<HostConfig["wallet"]>;
  created: boolean;
  imported: boolean;
}

export async function ensureWallet(
  context: HostContext,
  current: HostConfig,
  options: WalletStepOptions,
  progress: (line: string) => void,
): Promise<WalletStepResult | null> {
  const importing = !!options.importFromFile || !!options.importStdin;
  if (current.wallet && !importing) return { ref: current.wallet, created: false, imported: false };
  const deps = walletDepsFrom(context);
  if (importing) {
    const imported = await importWallet(deps, {
      existing: current.wallet,
      fromFile: options.importFromFile,
      stdin: options.importStdin,
      backend: options.backend,
      passwordFile: options.passwordFile,
      replace: options.yes,
    });
    progress(`Imported the host key ${imported.address} into ${imported.location}.`);
    return { ref: { address: imported.address, backend: imported.backend }, created: false, imported: true };
  }
  const created = await createWallet(deps, { existing: null, backend: options.backend, passwordFile: options.passwordFile });
  progress(`Created the host key ${created.address} in ${created.location}.`);
  if (created.recoveryPhrase === "not-shown") {
    progress("Its recovery phrase was not shown (no terminal): make an encrypted backup now with `fabstir-host wallet backup <file>`.");
  }
  return { ref: { address: created.address, backend: created.backend }, created: true, imported: false };
}
