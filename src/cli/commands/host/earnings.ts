import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class EarningsCommand extends HostCommand {
  static override paths = [["earnings"]];

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Show the earnings ledger",
    details: "Per session and per token: tokens proved, credited, withdrawn; rebuilt from chain events and cached locally.",
    examples: [
      ["Show earnings", "$0 earnings"],
      ["Export as CSV", "$0 earnings --csv > earnings.csv"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("earnings");
  }
}
