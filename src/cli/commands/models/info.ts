import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ModelsInfoCommand extends HostCommand {
  static override paths = [["models","info"]];

  static override usage = Command.Usage({
    category: "Models",
    description: "Show one model",
    details: "Shows a model's id, SHA-256, tier and this host's prices for it. Accepts repo:file or a model id.",
    examples: [
      ["Show a model", "$0 models info CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("models info");
  }
}
