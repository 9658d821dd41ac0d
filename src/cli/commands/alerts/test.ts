import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class AlertsTestCommand extends HostCommand {
  static override paths = [["alerts","test"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Send a test alert",
    details: "Sends one alert to the configured webhook (JSON, Slack, Discord or Telegram format) and reports the answer.",
    examples: [
      ["Send a test alert", "$0 alerts test"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("alerts test");
  }
}
