import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderFields } from "../../table.ts";
import { modelInfo } from "../../../host/models/view.ts";

export class ModelsInfoCommand extends HostCommand {
  static override paths = [["models", "info"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Models",
    description: "Show one model",
    details: "Shows a model's id, SHA-256, tier, whether it is active, and whether this host serves it and at which prices. Accepts repo:file or a model id.",
    examples: [["Show a model", "$0 models info CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf"]],
  });

  model = Option.String({ name: "repo:file|id" });

  async run(): Promise<void> {
    const info = await modelInfo(this.context, this.model);
    writeResult(this.context, info, () =>
      renderFields([
        ["Model", info.ref],
        ["Id", info.id],
        ["SHA-256", info.sha256],
        ["Tier", String(info.tier)],
        ["Active", info.active ? "yes" : "no"],
        ["Added", new Date(info.addedAt * 1000).toISOString()],
        ["In config", info.configured ? "yes" : "no"],
        ["On chain", info.registered ? "yes" : "no"],
        ["USDC price", info.prices ? (info.prices.usdc.human ? `${info.prices.usdc.human} USD per million tokens` : "none (sessions revert)") : "-"],
        ["ETH price", info.prices ? (info.prices.eth.human ? `${info.prices.eth.human} ETH per thousand tokens` : "none (sessions revert)") : "-"],
      ]),
    );
  }
}
