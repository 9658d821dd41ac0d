import { resolve } from "node:path";
import { Command, Option } from "clipanion";
import { KeyCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { backupWallet } from "../../../wallet/manage.ts";
import { walletDepsFrom } from "../../../wallet/deps.ts";
import { currentWallet } from "./shared.ts";

export class WalletBackupCommand extends KeyCommand {
  static override paths = [["wallet", "backup"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Write an encrypted backup of the key",
    details:
      "Writes a Web3 Secret Storage (v3, scrypt) keystore file to the given path (mode 600), always encrypted: with a password you choose (--backup-password-file, or a prompt), or with the keystore's current password. The file is decrypted once before the command reports success. It never overwrites a file unless --force is given. Restore it with `wallet import --from-file <file>`.",
    examples: [
      ["Back up to a USB stick", "$0 wallet backup /media/usb/fabstir-host-key.json"],
      [
        "Back up without a terminal, with its own password",
        "$0 wallet backup ./key-backup.json --password-file ./pw.txt --backup-password-file ./backup-pw.txt",
      ],
    ],
  });

  file = Option.String({ name: "file" });
  force = Option.Boolean("--force", false, { description: "Replace the file if it exists" });
  backupPasswordFile = Option.String("--backup-password-file", { description: "Read the backup's own password from this file (mode 600)" });

  async run(): Promise<void> {
    const context = this.context;
    const result = await backupWallet(walletDepsFrom(context), await currentWallet(context), {
      file: resolve(context.cwd, this.file),
      force: this.force,
      passwordFile: this.passwordFile,
      backupPasswordFile: this.backupPasswordFile,
    });
    writeResult(
      context,
      result,
      () =>
        `Encrypted backup of ${result.address} written to ${result.file}${result.protection === "same-as-keystore" ? " (same password as the keystore)" : ""}.\nKeep it and its password apart, off this machine. Restore with: fabstir-host wallet import --from-file ${result.file}`,
    );
  }
}
