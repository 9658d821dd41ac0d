import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ServiceStatusCommand extends HostCommand {
  static override paths = [["service","status"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Show the system service state",
    details: "Whether the service is installed, enabled and running.",
    examples: [
      ["Show service state", "$0 service status"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("service status");
  }
}
