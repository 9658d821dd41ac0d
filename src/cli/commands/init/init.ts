import { Command, Option } from "clipanion";
import { reportWarning } from "../../../util/report.ts";
import { Warnings } from "../../../errors/codes/warnings.ts";
import * as t from "typanion";
import { SigningCommand } from "../../key-commands.ts";
import { note, writeResult } from "../../output.ts";
import { renderTable } from "../../table.ts";
import { runInit } from "../../../setup/init.ts";
import type { NetworkName } from "../../../config/types.ts";
import { KEYLESS_NODE_FIX, KEYLESS_NODE_WARNING } from "../../../node/facts/node-behaviour.ts";

export class InitCommand extends SigningCommand {
  static override paths = [["init"]];

  static override usage = Command.Usage({
    category: "Setup",
    description: "Set up this host: network, wallet, public URL, models and prices",
    details: `
      Runs an interactive wizard on a terminal; with --yes and flags it runs without questions, for scripts and CI. Re-running it on a configured host shows the current values as defaults and changes nothing unless you confirm.

      The wallet step creates a new key (or imports one with --import-from-file / --import-stdin) in the OS keychain when one works, else in an encrypted keystore file; --backend forces one. A host that already has a wallet keeps it.

      Prices are in human units: --price-usdc in USD per million tokens, --price-eth in ETH per thousand tokens; they apply to every model unless set per model with \`pricing set\`.
    `,
    examples: [
      ["Set up interactively", "$0 init"],
      [
        "Set up a local devnet host without questions",
        "$0 init --yes --network local --deployment-file .devnet/deployment.json --backend keystore --password-file ./pw.txt",
      ],
      [
        "Base Sepolia with your own RPC first",
        "$0 init --yes --network base-sepolia --rpc-url https://my-rpc.example.org --rpc-url https://sepolia.base.org --public-url https://host.example.org:8080",
      ],
    ],
  });

  network = Option.String("--network", {
    description: "base-sepolia, base-mainnet, local or custom",
    validator: t.isEnum(["base-sepolia", "base-mainnet", "local", "custom"]),
  });
  rpcUrls = Option.Array("--rpc-url", { description: "RPC URL (repeat for fallbacks, primary first)" });
  deploymentFile = Option.String("--deployment-file", { description: "Devnet deployment file (network local)" });
  publicUrl = Option.String("--public-url", { description: "Public API URL clients use" });
  apiPort = Option.String("--api-port", {
    description: "Public API port",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 65535)]),
  });
  models = Option.String("--models", { description: "Models to serve, repo:file, comma-separated" });
  priceUsdc = Option.String("--price-usdc", { description: "USDC price, USD per million tokens" });
  priceEth = Option.String("--price-eth", { description: "ETH price, ETH per thousand tokens" });
  signer = Option.String("--signer", { description: "Who signs proofs: node (default) or cli", validator: t.isEnum(["node", "cli"]) });
  backend = Option.String("--backend", { description: "Where the key lives: keychain or keystore", validator: t.isEnum(["keychain", "keystore"]) });
  importFromFile = Option.String("--import-from-file", { description: "Import the host key or mnemonic from this file instead of creating one" });
  importStdin = Option.Boolean("--import-stdin", false, { description: "Import the host key or mnemonic from stdin" });

  async run(): Promise<void> {
    const result = await runInit(this.context, {
      yes: this.yes,
      answers: {
        network: this.network as NetworkName | undefined,
        rpcUrls: this.rpcUrls
          ?.flatMap((u) => u.split(","))
          .map((u) => u.trim())
          .filter(Boolean),
        deploymentFile: this.deploymentFile,
        publicUrl: this.publicUrl,
        apiPort: this.apiPort,
        models: this.models
          ?.split(",")
          .map((m) => m.trim())
          .filter(Boolean),
        priceUsdc: this.priceUsdc,
        priceEth: this.priceEth,
        signer: this.signer as "node" | "cli" | undefined,
      },
      wallet: {
        backend: this.backend as "keychain" | "keystore" | undefined,
        passwordFile: this.passwordFile,
        importFromFile: this.importFromFile,
        importStdin: this.importStdin,
      },
      progress: (line) => note(this.context, line),
    });
    if (result.signer === "cli") reportWarning(this.context, Warnings.KEYLESS_NODE, `${KEYLESS_NODE_WARNING} ${KEYLESS_NODE_FIX}`);
    writeResult(this.context, result, () => {
      if (result.changes.length === 0) return `Nothing changed: this host is already set up (${result.configFile}).`;
      const rows = result.changes.map((c) => [c.key, JSON.stringify(c.from), JSON.stringify(c.to)]);
      return `${renderTable(["SETTING", "BEFORE", "NOW"], rows)}Saved ${result.configFile}.\nNext: fabstir-host doctor, then fabstir-host register.`;
    });
  }
}
