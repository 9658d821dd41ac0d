import { Command, Option } from "clipanion";
import { SigningCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { addStake } from "../../../host/stake/stake.ts";
import { operationHooks, planJson, renderSent } from "../../../host/operation/present.ts";

export class StakeAddCommand extends SigningCommand {
  static override paths = [["stake", "add"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Add FAB to the stake",
    details:
      "Approves (only what the allowance lacks) and stakes the given amount of FAB on top of the current stake. The amount is in FAB (18 decimals, converted exactly). Shows the plan and asks first (--yes skips).",
    examples: [
      ["Add 500 FAB", "$0 stake add 500"],
      ["Without questions", "$0 stake add 250.5 --yes"],
    ],
  });

  amount = Option.String({ name: "fab" });

  async run(): Promise<void> {
    const context = this.context;
    const result = await addStake(context, { amount: this.amount, passwordFile: this.passwordFile }, operationHooks(context, { yes: this.yes }));
    writeResult(context, { ...result, plan: planJson(result.plan) }, () =>
      [`Added ${result.amountFab} FAB; the stake is now ${result.afterFab} FAB.`, renderSent(result.sent)].filter(Boolean).join("\n"),
    );
  }
}
