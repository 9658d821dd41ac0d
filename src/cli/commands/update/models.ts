import { Command, Option } from "clipanion";
import { SigningCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { updateModels } from "../../../host/registration/edit.ts";
import { operationHooks, planJson, renderSent } from "../../../host/operation/present.ts";

export class UpdateModelsCommand extends SigningCommand {
  static override paths = [["update", "models"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Change the served models on chain, and price new ones",
    details:
      "Replaces the supported models with the ones given (each must be approved in the ModelRegistry: an unknown or unapproved model is refused before anything is sent), then prices every new model for ETH and USDC in the same run, with the prices from the config. A new model must have a node to serve it (its file downloaded, a place in node.instances when that is set): otherwise it is refused, or with --yes added with a warning. Also sets `models` in the config.",
    examples: [["Serve two models", "$0 update models repoA:fileA.gguf repoB:fileB.gguf"]],
  });

  models = Option.Rest({ name: "repo:file", required: 1 });

  async run(): Promise<void> {
    const context = this.context;
    const result = await updateModels(
      context,
      { models: this.models, passwordFile: this.passwordFile, allowUnserved: this.yes },
      operationHooks(context, { yes: this.yes }),
    );
    writeResult(context, { ...result, plan: planJson(result.plan) }, () =>
      result.unchanged
        ? `The chain already serves these models, all priced; nothing sent.`
        : [
            `Serving ${result.models.map((m) => m.ref).join(", ")}.`,
            result.added.length > 0 ? `Added and priced: ${result.added.join(", ")}` : "",
            renderSent(result.sent),
          ]
            .filter(Boolean)
            .join("\n"),
    );
  }
}
