import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ServiceUninstallCommand extends HostCommand {
  static override paths = [["service","uninstall"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Remove the system service",
    details: "Stops and removes the service the CLI installed.",
    examples: [
      ["Remove the service", "$0 service uninstall"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("service uninstall");
  }
}
