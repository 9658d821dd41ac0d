import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { versionLine } from "../../../build-info.ts";

export class VersionCommand extends HostCommand {
  static override paths = [["version"], ["--version"], ["-V"]];

  static override usage = Command.Usage({
    category: "Setup",
    description: "Print the version and build commit",
    details: "Prints `fabstir-host <version> (<commit>)`. With --json also the platform and runtime.",
    examples: [
      ["Print the version", "$0 version"],
      ["As JSON", "$0 version --json"],
    ],
  });

  async run(): Promise<void> {
    const build = this.context.build;
    const data = { version: build.version, commit: build.commit, platform: process.platform, arch: process.arch, bun: Bun.version };
    writeResult(this.context, data, () => versionLine(build));
  }
}
