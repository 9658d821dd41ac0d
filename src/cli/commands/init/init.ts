import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class InitCommand extends HostCommand {
  static override paths = [["init"]];

  static override usage = Command.Usage({
    category: "Setup",
    description: "Set up this host: network, wallet, public URL, models and prices",
    details: "Runs an interactive wizard on a terminal; with --yes and flags it runs without questions, for scripts and CI. Re-running it on a configured host shows the current values as defaults and changes nothing unless you confirm.",
    examples: [
      ["Set up interactively", "$0 init"],
      ["Set up a local devnet host without questions", "$0 init --yes --network local --backend keystore --password-file ./pw.txt"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("init");
  }
}
