import { Command } from "clipanion";
import { SigningCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { unregisterHost } from "../../../host/stake/stake.ts";
import { operationHooks, planJson, renderSent, showPlan } from "../../../host/operation/present.ts";
import { HostError } from "../../../errors/host-error.ts";
import { CoreErrors } from "../../../errors/codes/core.ts";
import { HostErrors } from "../../../errors/codes/host.ts";

export class UnregisterCommand extends SigningCommand {
  static override paths = [["unregister"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Unregister and get the stake back",
    details:
      "Warns about this host's sessions that are still active, asks you to type the last 6 characters of the host address to confirm (--yes skips), then unregisters and shows the stake returned. There is no partial unstake: the whole stake comes back. Earnings already credited stay withdrawable.",
    examples: [
      ["Unregister", "$0 unregister"],
      ["In a script", "$0 unregister --yes --password-file ~/.fabstir-password"],
    ],
  });

  async run(): Promise<void> {
    const context = this.context;
    const hooks = operationHooks(context, { yes: this.yes });
    hooks.confirm = async (plan) => {
      showPlan(context, plan, this.yes);
      if (this.yes) return;
      if (!context.isTTY.stdin) {
        throw new HostError(
          CoreErrors.NOT_INTERACTIVE,
          "Unregistering asks you to type part of the address, and there is no terminal to ask on. Nothing was sent.",
          {
            hint: "Try: run it again with --yes to confirm in scripts.",
          },
        );
      }
      const tail = plan.address.slice(-6).toLowerCase();
      const typed = await context.prompter.text(`Type ${tail} (the last 6 characters of ${plan.address}) to unregister`);
      if (typed.trim().toLowerCase() !== tail) {
        throw new HostError(HostErrors.CONFIRMATION_MISMATCH, `"${typed.trim()}" is not ${tail}; nothing was sent.`);
      }
    };
    const result = await unregisterHost(context, { passwordFile: this.passwordFile }, hooks);
    writeResult(context, { ...result, plan: planJson(result.plan) }, () =>
      [
        `Unregistered ${result.address}.`,
        result.returnedFab !== null ? `Stake returned: ${result.returnedFab} FAB` : "",
        renderSent(result.sent),
        "Earnings already credited stay withdrawable: fabstir-host withdraw",
      ]
        .filter(Boolean)
        .join("\n"),
    );
  }
}
