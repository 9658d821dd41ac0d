import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ConfigGetCommand extends HostCommand {
  static override paths = [["config","get"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Print one configuration value",
    details: "Prints the effective value of a key (after defaults, the file, FABSTIR_* environment variables and flags are layered).",
    examples: [
      ["Print the network", "$0 config get network"],
      ["Print the RPC URLs as JSON", "$0 config get rpcUrls --json"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("config get");
  }
}
