import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderTable } from "../../table.ts";
import { backups, restoreBackup } from "../../../config/service.ts";

export class ConfigRestoreCommand extends HostCommand {
  static override paths = [["config", "restore"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "List or restore config backups",
    details:
      "Without a name (or with --list) lists the backups, newest first; with a name restores it. The current file, even a broken one, is backed up first.",
    examples: [
      ["List backups", "$0 config restore --list"],
      ["Restore one", "$0 config restore config-2026-11-25T10-00-00-000Z-manual.json"],
    ],
  });

  list = Option.Boolean("--list", false, { description: "Only list the backups" });
  name = Option.String({ name: "backup", required: false });

  async run(): Promise<void> {
    if (this.list || !this.name) {
      const entries = backups(this.context);
      writeResult(this.context, entries, () =>
        entries.length === 0
          ? "No backups yet."
          : renderTable(
              ["BACKUP", "SAVED", "BYTES"],
              entries.map((b) => [b.name, b.modified, String(b.size)]),
            ),
      );
      return;
    }
    const result = restoreBackup(this.context, this.name);
    writeResult(
      this.context,
      result,
      () => `Restored ${result.restored}.${result.previousBackup ? ` The replaced file was saved as ${result.previousBackup}` : ""}`,
    );
  }
}
