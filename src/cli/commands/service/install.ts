import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ServiceInstallCommand extends HostCommand {
  static override paths = [["service","install"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Install a system service for the host",
    details: "systemd on Linux, launchd on macOS, a scheduled task on Windows. Your own changes are kept: settings go to a drop-in file.",
    examples: [
      ["Install the service", "$0 service install"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("service install");
  }
}
