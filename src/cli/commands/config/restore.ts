import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ConfigRestoreCommand extends HostCommand {
  static override paths = [["config","restore"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "List or restore config backups",
    details: "Without an argument lists the backups; with a backup name restores it (the current file is backed up first).",
    examples: [
      ["List backups", "$0 config restore --list"],
      ["Restore one", "$0 config restore config-2026-11-25T10-00-00Z.json"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("config restore");
  }
}
