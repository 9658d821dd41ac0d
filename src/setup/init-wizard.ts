/**
 * The questions `init` asks on a terminal, each defaulting to the current value, so re-running it on a configured host
 * is pressing Enter through a review.
 */
import type { Prompter } from "../util/prompter-types.ts";
import type { HostConfig, NetworkName } from "../config/types.ts";
import type { InitAnswers } from "./init-plan.ts";
import { fromContractPrice, toContractPrice, checkBounds, HUMAN_UNIT } from "../host/pricing/units.ts";

const isUrl = (value: string) => /^https?:\/\/[^\s/]+(\/\S*)?$/.test(value) || "enter an http(s) URL, e.g. https://host.example.org:8080";

export async function askInitQuestions(prompter: Prompter, current: HostConfig, given: InitAnswers): Promise<InitAnswers> {
  const answers: InitAnswers = { ...given };
  answers.network ??= await prompter.select<NetworkName>(
    "Network",
    [
      { value: "base-sepolia", name: "Base Sepolia (testnet, live)" },
      { value: "base-mainnet", name: "Base mainnet (needs contract addresses in config until published)" },
      { value: "local", name: "Local devnet (bun run devnet)" },
      { value: "custom", name: "Custom (your own RPC and addresses)" },
    ],
    { default: current.network },
  );
  if (answers.network === "local" && given.deploymentFile === undefined) {
    const file = await prompter.text("Devnet deployment file", { default: current.deploymentFile ?? ".devnet/deployment.json" });
    answers.deploymentFile = file;
  }
  if (!given.rpcUrls) {
    const rpc = await prompter.text("RPC URLs (primary first, comma-separated)", {
      default: (answers.network === current.network ? current.rpcUrls : []).join(",") || undefined,
      validate: (value) => value.split(",").every((url) => isUrl(url.trim()) === true) || "enter http(s) URLs separated by commas",
    });
    if (rpc.trim())
      answers.rpcUrls = rpc
        .split(",")
        .map((url) => url.trim())
        .filter(Boolean);
  }
  answers.publicUrl ??= await prompter.text("Public API URL clients will use (must be reachable from the internet: open the port in your firewall)", {
    default: current.publicUrl ?? undefined,
    validate: isUrl,
  });
  if (answers.apiPort === undefined) {
    const port = await prompter.text("Public API port", {
      default: String(current.node.apiPort),
      validate: (value) => (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535) || "enter a port 1-65535",
    });
    answers.apiPort = Number(port);
  }
  if (!given.models) {
    const models = await prompter.text("Models to serve (repo:file, comma-separated)", {
      default: current.models.join(",") || undefined,
      validate: (value) =>
        value.split(",").every((m) => /^[^\s:]+\/[^\s:]+:[^\s:/]+$/.test(m.trim())) ||
        "use repo:file, e.g. CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf",
    });
    answers.models = models
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean);
  }
  const currentUsdc = current.prices["*"]?.usdc;
  answers.priceUsdc ??= await prompter.text(`USDC price (${HUMAN_UNIT.usdc})`, {
    default: currentUsdc ? fromContractPrice("usdc", BigInt(currentUsdc)) : "5",
    validate: priceValidator("usdc"),
  });
  const currentEth = current.prices["*"]?.eth;
  answers.priceEth ??= await prompter.text(`ETH price (${HUMAN_UNIT.eth})`, {
    default: currentEth ? fromContractPrice("eth", BigInt(currentEth)) : "0.000002",
    validate: priceValidator("eth"),
  });
  return answers;
}

function priceValidator(token: "usdc" | "eth") {
  return (value: string): true | string => {
    try {
      return checkBounds(token, toContractPrice(token, value)) ?? true;
    } catch (error) {
      return (error as Error).message;
    }
  };
}
