import { Command, Option } from "clipanion";
import * as t from "typanion";
import { SigningCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { updateMetadata } from "../../../host/registration/edit.ts";
import { operationHooks, planJson, renderSent } from "../../../host/operation/present.ts";
import { HostError } from "../../../errors/host-error.ts";
import { HostErrors } from "../../../errors/codes/host.ts";

export class UpdateMetadataCommand extends SigningCommand {
  static override paths = [["update", "metadata"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Update the host metadata on chain",
    details:
      "Reads the metadata on chain, refreshes the hardware (GPU, VRAM, RAM), merges the given fields and always keeps publicKey, which clients need to encrypt sessions. --set key=value sets any other field (dots reach into objects; JSON values are kept as JSON). --location and --max-concurrent also update the config.",
    examples: [
      ["Set the location", "$0 update metadata --location eu-west"],
      ["Refresh the hardware only", "$0 update metadata"],
      ["Any other field", "$0 update metadata --set region=eu --set tags='[\"fast\"]'"],
    ],
  });

  location = Option.String("--location", { description: "Where the host is (published as location)" });
  maxConcurrent = Option.String("--max-concurrent", {
    description: "Most sessions served at once (1-1000)",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 1000)]),
  });
  set = Option.Array("--set", [], { description: "key=value to set in the metadata (repeatable)" });

  async run(): Promise<void> {
    const context = this.context;
    if (this.location !== undefined && this.location.trim() === "") throw new HostError(HostErrors.METADATA_INVALID, "--location is empty.");
    const result = await updateMetadata(
      context,
      { location: this.location?.trim(), maxConcurrent: this.maxConcurrent, set: this.set, passwordFile: this.passwordFile },
      operationHooks(context, { yes: this.yes }),
    );
    writeResult(context, { ...result, plan: planJson(result.plan) }, () =>
      result.unchanged
        ? "The chain already holds this metadata; nothing sent."
        : [`Metadata on chain: ${JSON.stringify(result.metadata)}`, renderSent(result.sent)].join("\n"),
    );
  }
}
