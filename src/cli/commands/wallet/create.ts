import { Command, Option } from "clipanion";
import { SigningCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { renderFields } from "../../table.ts";
import { createWallet } from "../../../wallet/create-import.ts";
import { walletDepsFrom } from "../../../wallet/deps.ts";
import { backendOption, currentWallet, revealResult, saveWallet } from "./shared.ts";

export class WalletCreateCommand extends SigningCommand {
  static override paths = [["wallet", "create"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Create a new host key",
    details:
      "Generates a key from a new BIP-39 mnemonic and stores it in the OS keychain, or in an encrypted keystore file when no keychain works (or with --backend keystore). On a terminal the mnemonic is shown once and you type back three of its words before anything is stored; it is never printed to a pipe unless --show-mnemonic is given. The keystore password comes from --password-file, FABSTIR_PASSWORD_FILE, the systemd credential `fabstir-password`, or a hidden prompt.",
    examples: [
      ["Create a key in the best available store", "$0 wallet create"],
      ["Create a key in an encrypted keystore file", "$0 wallet create --backend keystore --password-file ./pw.txt"],
    ],
  });

  backend = backendOption();
  showMnemonic = Option.Boolean("--show-mnemonic", false, { description: "Print the recovery phrase even when stdout is not a terminal" });
  force = Option.Boolean("--force", false, { description: "Same as --yes" });

  async run(): Promise<void> {
    const context = this.context;
    const created = await createWallet(walletDepsFrom(context), {
      existing: await currentWallet(context),
      backend: this.backend,
      passwordFile: this.passwordFile,
      showMnemonic: this.showMnemonic,
      replace: this.yes || this.force,
    });
    await saveWallet(context, created);
    const { mnemonic, ...summary } = created;
    const fields: [string, string][] = [
      ["Address", created.address],
      ["Public key", created.publicKey],
      ["Stored in", created.location],
    ];
    if (mnemonic) {
      revealResult(context, { ...summary, mnemonic }, `Host key created.\n${renderFields([...fields, ["Recovery phrase", mnemonic]])}`);
      return;
    }
    writeResult(context, summary, () => `Host key created.\n${renderFields(fields)}`);
  }
}
