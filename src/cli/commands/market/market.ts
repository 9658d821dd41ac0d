import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { openHost } from "../../../host/operation/connect.ts";
import { modelIdFromInput } from "../../../host/models/registry.ts";
import { readMarket } from "../../../economics/market.ts";
import { cacheKey, marketCachePath, readMarketCache, writeMarketCache } from "../../../economics/market-cache.ts";
import { renderMarket } from "../../render/market.ts";

export class MarketCommand extends HostCommand {
  static override paths = [["market"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Pricing",
    description: "Compare this host's prices with the other hosts serving its models",
    details:
      "For each model this host serves on chain (or --model): the active hosts that serve it, their ETH and USDC prices, where this host's price ranks (1 = cheapest), and the break-even price at the current fees beside them. The reads go out as JSON-RPC batches; the answer is cached for a minute (--fresh reads the chain again). Never asks for a password.",
    examples: [
      ["The market for every served model", "$0 market"],
      ["One model, as JSON", "$0 market --model CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf --json"],
    ],
  });

  model = Option.String("--model", { description: "Only this model (repo:file or id)" });
  fresh = Option.Boolean("--fresh", false, { description: "Read the chain even when a cached answer is under a minute old" });

  async run(): Promise<void> {
    const context = this.context;
    if (this.model !== undefined) modelIdFromInput(this.model); // a bad name fails before any chain access
    const host = await openHost(context); // no config or no wallet fails before any chain access too
    try {
      const ethUsd = host.config.economics?.ethUsd ?? null;
      const path = marketCachePath(context.paths.stateDir, host.chain.network.chainId, host.address);
      const key = cacheKey(this.model, ethUsd);
      const now = context.clock.now();
      let report = this.fresh ? null : readMarketCache(path, key, now);
      if (!report) {
        report = await readMarket({ chain: host.chain, address: host.address, stateDir: context.paths.stateDir, ethUsd, model: this.model, now });
        writeMarketCache(path, key, report);
      }
      const shown = report;
      writeResult(context, shown, () => renderMarket(shown));
    } finally {
      host.close();
    }
  }
}
