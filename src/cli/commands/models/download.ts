import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class ModelsDownloadCommand extends HostCommand {
  static override paths = [["models","download"]];

  static override usage = Command.Usage({
    category: "Models",
    description: "Download a model file and verify it",
    details: "Downloads repo:file from the model host with resume and progress, verifies the SHA-256 held by the ModelRegistry, and places it where the node finds it.",
    examples: [
      ["Download a model", "$0 models download CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("models download");
  }
}
