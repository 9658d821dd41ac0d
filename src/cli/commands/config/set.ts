import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ConfigSetCommand extends HostCommand {
  static override paths = [["config","set"]];

  static override usage = Command.Usage({
    category: "Configuration",
    description: "Change one configuration value",
    details: "Validates the value against the schema and writes the config file atomically (a backup of the previous file is kept).",
    examples: [
      ["Use a private RPC first, the public one as fallback", "$0 config set rpcUrls https://rpc.example.org,https://sepolia.base.org"],
      ["Set the public API URL", "$0 config set publicUrl https://host.example.org:8080"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("config set");
  }
}
