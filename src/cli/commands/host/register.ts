import { Command } from "clipanion";
import { SigningCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { renderFields, renderTable } from "../../table.ts";
import { registerHost, type RegisterResult } from "../../../host/registration/register.ts";
import { operationHooks, planJson, renderSent } from "../../../host/operation/present.ts";
import { describePrice } from "../../../host/pricing/steps.ts";

export class RegisterCommand extends SigningCommand {
  static override paths = [["register"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Register this host on chain (stake, models, prices)",
    details:
      "Checks requirements (FAB for the stake, ETH for gas), approves FAB for the stake if the allowance is short, registers the node with the public URL, the configured models and metadata from the detected hardware and your public key, then prices every model for ETH and USDC. Every model must have a node to serve it (its file downloaded, a place in node.instances when that is set): otherwise it is refused, or with --yes registered with a warning. Shows the plan and a gas estimate first and asks (--yes skips). Interrupted midway, running it again continues where it stopped; on a registered host it only adds missing prices.",
    examples: [
      ["Register with the configured models and prices", "$0 register"],
      ["Without questions", "$0 register --yes"],
      ["With a keystore password file", "$0 register --yes --password-file ~/.fabstir-password"],
    ],
  });

  async run(): Promise<void> {
    const context = this.context;
    const result = await registerHost(
      context,
      { passwordFile: this.passwordFile, allowUnserved: this.yes },
      operationHooks(context, { yes: this.yes, question: "Register this host?" }),
    );
    writeResult(context, { ...result, plan: planJson(result.plan) }, () => render(result));
  }
}

function render(result: RegisterResult): string {
  const head =
    result.status === "already-registered"
      ? `Already registered on ${result.network.label}, every model priced: nothing to do.`
      : result.status === "registered"
        ? `Registered ${result.address} on ${result.network.label}.`
        : `Registration of ${result.address} completed on ${result.network.label}.`;
  const fields = renderFields([
    ["URL", result.apiUrl],
    ["Models", result.models.map((m) => m.ref).join(", ")],
    ["Stake", `${result.stakeFab} FAB`],
  ]);
  const prices = renderTable(
    ["MODEL", "TOKEN", "PRICE"],
    result.prices.map((p) => [p.model, p.token.toUpperCase(), describePrice(p.token, p.price)]),
  );
  const notes = result.plan.notes.filter((n) => !n.startsWith("Already registered")).map((n) => `Note: ${n}`);
  return [head, fields.trimEnd(), prices.trimEnd(), renderSent(result.sent), ...notes].filter(Boolean).join("\n");
}
