import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class LogsExportCommand extends HostCommand {
  static override paths = [["logs","export"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Export redacted logs for a bug report",
    details: "Writes a tar.gz with the logs (redacted) and `doctor --json` output.",
    examples: [
      ["Export logs", "$0 logs export ./fabstir-logs.tar.gz"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("logs export");
  }
}
