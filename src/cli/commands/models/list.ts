import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderTable } from "../../table.ts";
import { listModels, type ModelList } from "../../../host/models/view.ts";

export class ModelsListCommand extends HostCommand {
  static override paths = [["models", "list"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Models",
    description: "List approved models and which this host serves",
    details:
      "Reads the ModelRegistry: id, repo:file, SHA-256, tier and whether the model is active; and whether this host has it in its config, registers it on chain, and its prices.",
    examples: [
      ["List models", "$0 models list"],
      ["As JSON", "$0 models list --json"],
    ],
  });

  async run(): Promise<void> {
    const list = await listModels(this.context);
    writeResult(this.context, list, () => render(list));
  }
}

function render(list: ModelList): string {
  const rows = list.models.map((m) => [
    m.ref,
    m.active ? "yes" : "no",
    String(m.tier),
    m.registered ? "on chain" : m.configured ? "config only" : "",
    m.prices ? `${m.prices.usdc.human ?? "none"} USD/M, ${m.prices.eth.human ?? "none"} ETH/k` : "",
    m.id,
  ]);
  const lines = [`Models in the ModelRegistry of ${list.network}:`, renderTable(["MODEL", "ACTIVE", "TIER", "SERVED", "PRICES", "ID"], rows).trimEnd()];
  if (list.unlisted.length > 0) lines.push(`Configured but not in the registry: ${list.unlisted.join(", ")}`);
  return lines.join("\n");
}
