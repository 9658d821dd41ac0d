import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class UnregisterCommand extends HostCommand {
  static override paths = [["unregister"]];

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Unregister and get the stake back",
    details: "Warns about active sessions, asks you to type the address to confirm, then unregisters and returns the whole stake.",
    examples: [
      ["Unregister", "$0 unregister"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("unregister");
  }
}
