import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class StatusCommand extends HostCommand {
  static override paths = [["status"]];

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Show this host at a glance",
    details: "Registration, stake, URL, models and prices, balances, earnings, sessions, node process and warnings on one screen. Never asks for a password.",
    examples: [
      ["Show status", "$0 status"],
      ["Refresh every 5 seconds", "$0 status --watch"],
      ["For scripts", "$0 status --json"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("status");
  }
}
