import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class DoctorCommand extends HostCommand {
  static override paths = [["doctor"]];

  static override usage = Command.Usage({
    category: "Diagnostics",
    description: "Check everything a host needs",
    details: "Checks the GPU and driver, the installed node build, VRAM against the model, disk space, ports, public URL, RPC and chain, wallet, balances, registration, keychain and clock. Prints pass/warn/fail with the fix for each; exits 1 when anything fails.",
    examples: [
      ["Run all checks", "$0 doctor"],
      ["For a bug report", "$0 doctor --json"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("doctor");
  }
}
