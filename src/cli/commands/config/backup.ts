import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ConfigBackupCommand extends HostCommand {
  static override paths = [["config","backup"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Save a backup of the config file",
    details: "Copies config.json into the backups directory with a timestamp. Backups never contain secrets.",
    examples: [
      ["Make a backup", "$0 config backup"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("config backup");
  }
}
