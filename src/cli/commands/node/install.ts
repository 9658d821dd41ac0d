import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class NodeInstallCommand extends HostCommand {
  static override paths = [["node","install"]];

  static override usage = Command.Usage({
    category: "Inference node",
    description: "Install a fabstir-llm-node build",
    details: "Picks the build that fits the detected GPU and driver, downloads with resume, verifies the SHA-256 and installs it atomically beside other versions.",
    examples: [
      ["Install the latest", "$0 node install"],
      ["Install a version", "$0 node install 1.4.2"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("node install");
  }
}
