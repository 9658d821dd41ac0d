import { Command, Option } from "clipanion";
import { KeyCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { changePassword } from "../../../wallet/manage.ts";
import { walletDepsFrom } from "../../../wallet/deps.ts";
import { currentWallet } from "./shared.ts";

export class WalletChangePasswordCommand extends KeyCommand {
  static override paths = [["wallet", "change-password"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Change the keystore password",
    details:
      "Re-encrypts the keystore file atomically: the new file is written and synced completely before it replaces the old one, so a crash leaves one or the other, never a mix. The current password comes from --password-file (or FABSTIR_PASSWORD_FILE, the systemd credential, a prompt); the new one from --new-password-file or a prompt.",
    examples: [
      ["Change the password", "$0 wallet change-password"],
      ["Change it without a terminal", "$0 wallet change-password --password-file ./old.txt --new-password-file ./new.txt"],
    ],
  });

  newPasswordFile = Option.String("--new-password-file", { description: "Read the new password from this file (mode 600)" });

  async run(): Promise<void> {
    const context = this.context;
    const result = await changePassword(walletDepsFrom(context), await currentWallet(context), {
      passwordFile: this.passwordFile,
      newPasswordFile: this.newPasswordFile,
    });
    writeResult(context, result, () => `Keystore password changed for ${result.address} (${result.file}). Older backups keep their old password.`);
  }
}
