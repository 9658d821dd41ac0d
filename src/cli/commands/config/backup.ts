import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { makeBackup } from "../../../config/service.ts";

export class ConfigBackupCommand extends HostCommand {
  static override paths = [["config", "backup"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Save a backup of the config file",
    details: "Copies config.json into the backups directory with a timestamp. Backups never contain secrets; the 20 newest are kept.",
    examples: [["Make a backup", "$0 config backup"]],
  });

  async run(): Promise<void> {
    const result = makeBackup(this.context);
    writeResult(this.context, result, () => `Saved ${result.path}`);
  }
}
