import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class UpdateUrlCommand extends HostCommand {
  static override paths = [["update","url"]];

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Change the public API URL on chain",
    details: "Checks that the URL answers before sending (skip with --no-check).",
    examples: [
      ["Change the URL", "$0 update url https://host.example.org:8080"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("update url");
  }
}
