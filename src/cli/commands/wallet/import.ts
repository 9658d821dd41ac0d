import { Command, Option } from "clipanion";
import { SigningCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { renderFields } from "../../table.ts";
import { importWallet } from "../../../wallet/create-import.ts";
import { walletDepsFrom } from "../../../wallet/deps.ts";
import { HostError } from "../../../errors/host-error.ts";
import { CoreErrors } from "../../../errors/codes/core.ts";
import { registerSecret } from "../../../util/redact.ts";
import { backendOption, currentWallet, saveWallet } from "./shared.ts";

export class WalletImportCommand extends SigningCommand {
  static override paths = [["wallet", "import"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Import an existing key or mnemonic",
    details:
      "Reads the private key or mnemonic from a hidden prompt, from stdin (--stdin) or from a file (--from-file); never from the command line, where it would land in shell history and the process list. A file made by `wallet backup` (an encrypted keystore) is accepted too: that is how a key is restored. Importing a different key over the configured one asks first (--yes skips the question).",
    examples: [
      ["Import from a hidden prompt", "$0 wallet import"],
      ["Import a mnemonic from a file", "$0 wallet import --mnemonic --from-file ./words.txt"],
      ["Restore from a backup", "$0 wallet import --from-file /media/usb/fabstir-host-key.json"],
      ["Import a key piped in, into a keystore file", "$0 wallet import --stdin --backend keystore --password-file ./pw.txt < key.txt"],
    ],
  });

  stdin = Option.Boolean("--stdin", false, { description: "Read the key or mnemonic from standard input" });
  fromFile = Option.String("--from-file", { description: "Read the key, mnemonic or backup keystore from this file" });
  mnemonic = Option.Boolean("--mnemonic", false, { description: "The input is a recovery phrase (guessed otherwise)" });
  derivationPath = Option.String("--path", { description: "Derivation path for a mnemonic (default m/44'/60'/0'/0/0)" });
  backend = backendOption();
  force = Option.Boolean("--force", false, { description: "Same as --yes" });
  // Catches a key typed on the command line, to refuse it without repeating it anywhere.
  rest = Option.Rest({ name: "nothing" });

  async run(): Promise<void> {
    const context = this.context;
    if (this.rest.length > 0) {
      for (const value of this.rest) registerSecret(value);
      throw new HostError(
        CoreErrors.USAGE,
        "`wallet import` takes no arguments: a key on the command line is saved in shell history and visible to other users.",
        {
          hint: "Try: fabstir-host wallet import (hidden prompt), --stdin or --from-file <path>. If you typed a real key, consider it exposed.",
        },
      );
    }
    const imported = await importWallet(walletDepsFrom(context), {
      existing: await currentWallet(context),
      stdin: this.stdin,
      fromFile: this.fromFile,
      kind: this.mnemonic ? "mnemonic" : undefined,
      path: this.derivationPath,
      backend: this.backend,
      passwordFile: this.passwordFile,
      replace: this.yes || this.force,
    });
    await saveWallet(context, imported);
    writeResult(
      context,
      imported,
      () =>
        `Host key imported.\n${renderFields([
          ["Address", imported.address],
          ["Public key", imported.publicKey],
          ["Stored in", imported.location],
        ])}`,
    );
  }
}
