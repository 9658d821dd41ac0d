import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class LogsCommand extends HostCommand {
  static override paths = [["logs"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Show, follow, filter and export logs",
    details: "Tails the structured logs with filters by level, component, session or job; `logs export` writes a redacted tar.gz for bug reports.",
    examples: [
      ["Last 100 lines", "$0 logs -n 100"],
      ["Follow proof logs", "$0 logs -f --component proofs"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("logs");
  }
}
