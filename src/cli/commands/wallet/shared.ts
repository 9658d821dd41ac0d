/**
 * What the wallet commands share: the wallet reference in the configuration, the common options, and the one
 * deliberate way to print a secret (the mnemonic with --show-mnemonic, `export --insecure`), which skips redaction.
 */
import { Option } from "clipanion";
import * as t from "typanion";
import type { HostContext } from "../../../context.ts";
import { loadConfig, updateConfig, invalidConfigError } from "../../../config/store.ts";
import type { WalletRef } from "../../../wallet/types.ts";
import { jsonReplacer } from "../../output.ts";

export async function currentWallet(context: HostContext): Promise<WalletRef | null> {
  // Other settings may be broken; the wallet commands only need this one to be right.
  const loaded = await loadConfig(context, { strict: false });
  const problem = loaded.problems.find((entry) => entry.key === "wallet");
  if (problem) throw invalidConfigError([problem]);
  return loaded.config.wallet;
}

export async function saveWallet(context: HostContext, ref: WalletRef | null): Promise<void> {
  await updateConfig(
    context,
    (config) => {
      config.wallet = ref ? { address: ref.address, backend: ref.backend } : null;
    },
    { reason: ref ? "wallet" : "wallet-remove" },
  );
}

export const backendOption = () =>
  Option.String("--backend", {
    description: "Where to keep the key: keychain (OS keychain) or keystore (encrypted file); default: the keychain when it works",
    validator: t.isEnum(["keychain", "keystore"] as const),
  });

/** Prints a result that contains a secret on purpose: no redaction, stdout only. */
export function revealResult(context: HostContext, data: Record<string, unknown>, text: string): void {
  if (context.output.json) context.stdout.write(JSON.stringify({ ok: true, data }, jsonReplacer) + "\n");
  else context.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}
