/**
 * The node's environment. fabstir-llm-node takes no flags and no config file: every setting is an environment
 * variable, so this pure function is the whole contract between the config and the node.
 *
 * The host key (node.signer = "node") can only reach the node this way. Exposure, by design: a process's initial
 * environment stays readable in /proc/<pid>/environ by the same user and by root for the node's lifetime (and by
 * `ps e`). It never goes to argv (world-readable), a file, a log line or the config. Hosts that do not accept this run
 * the node keyless (node.signer = "cli") and the CLI signs.
 */
import type { ContractAddresses, HostConfig } from "../../config/types.ts";
import { HostError } from "../../errors/host-error.ts";
import { SupervisorErrors } from "../../errors/codes/supervisor.ts";

/** A network with every address resolved (the chain layer merges presets, deployment files and overrides). */
export interface NodeNetwork {
  chainId: number;
  /** Primary first. */
  rpcUrls: string[];
  contracts: ContractAddresses;
}

export interface NodeEnvOptions {
  modelPath: string;
  /** Only when the node signs (node.signer = "node"); it reaches the node through its environment at spawn, nowhere else. */
  hostKey?: string;
}

/** Variables the supervisor owns; node.extraEnv cannot replace them. */
const CONTRACT_VARS: Record<keyof ContractAddresses, string> = {
  jobMarketplace: "CONTRACT_JOB_MARKETPLACE",
  nodeRegistry: "CONTRACT_NODE_REGISTRY",
  hostEarnings: "CONTRACT_HOST_EARNINGS",
  modelRegistry: "CONTRACT_MODEL_REGISTRY",
  proofSystem: "CONTRACT_PROOF_SYSTEM",
  fabToken: "FAB_TOKEN",
  usdcToken: "USDC_TOKEN",
};

/**
 * Old tools also set these spellings; the node reads FAB_TOKEN/USDC_TOKEN. Passing both invites the two to disagree,
 * so they are dropped even from extraEnv.
 */
const LEGACY_SPELLINGS = new Set(["CONTRACT_FAB_TOKEN", "CONTRACT_USDC_TOKEN"]);

export function buildNodeEnv(config: HostConfig, network: NodeNetwork, options: NodeEnvOptions): Record<string, string> {
  const rpcUrl = network.rpcUrls.find((url) => url.trim() !== "");
  if (!rpcUrl) {
    // Without RPC_URL the node silently falls back to a built-in third-party endpoint: refuse instead.
    throw new HostError(SupervisorErrors.NODE_ENV_INVALID, "No RPC URL is configured for the node.", {
      hint: "Try: fabstir-host config set rpcUrls <url>",
    });
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.node.extraEnv ?? {})) {
    if (/PRIVATE_KEY|MNEMONIC|PASSWORD/i.test(name)) {
      throw new HostError(SupervisorErrors.NODE_ENV_INVALID, `node.extraEnv sets ${name}: secrets never live in the config.`, {
        hint: `Try: remove ${name} from node.extraEnv in the config file (fabstir-host config path); with node.signer "node" the key comes from the wallet.`,
      });
    }
    if (LEGACY_SPELLINGS.has(name)) continue;
    env[name] = String(value);
  }
  Object.assign(env, {
    API_PORT: String(config.node.internalPort),
    P2P_PORT: String(config.node.p2pPort),
    MODEL_PATH: options.modelPath,
    GPU_LAYERS: String(config.node.gpuLayers),
    MAX_CONTEXT_LENGTH: String(config.node.contextLength),
    LLAMA_BATCH_SIZE: String(config.node.batchSize),
    RPC_URL: rpcUrl,
    // Required, whatever the chain: every /v1/embed, /v1/search, /v1/ocr, /v1/describe-image and image-generation
    // request builds a ChainRegistry (fabstir-llm-node@85a87b8 src/api/server.rs:1772-1782, 1806-1918) whose Base
    // Sepolia entry `.expect`s it (src/blockchain/chain_config.rs:40-41): unset, those requests panic. Model
    // validation reads it before RPC_URL (src/main.rs:112-114).
    BASE_SEPOLIA_RPC_URL: rpcUrl,
    // The node reads no CHAIN_ID (it has no env::var("CHAIN_ID")); kept for tools that inspect the environment.
    CHAIN_ID: String(network.chainId),
    RUST_LOG: config.node.logLevel || "info",
  });
  // Without it the node stores proofs and checkpoint deltas in an in-memory mock whose CIDs never reach S5
  // (src/storage/s5_client.rs:603-640): s5.url, when set, wins over node.extraEnv.
  const s5Url = config.s5?.url;
  if (s5Url) env.ENHANCED_S5_URL = s5Url;
  for (const [field, name] of Object.entries(CONTRACT_VARS) as [keyof ContractAddresses, string][]) {
    const address = network.contracts[field];
    if (!address) {
      throw new HostError(SupervisorErrors.NODE_ENV_INVALID, `The ${field} contract address is not known for this network.`, {
        hint: `Try: fabstir-host config set contracts.${field} <address>`,
      });
    }
    env[name] = address;
  }
  if (config.node.signer === "node" && options.hostKey) env.HOST_PRIVATE_KEY = options.hostKey;
  return env;
}

/**
 * What the node inherits from our own environment: enough to find its libraries and GPU, nothing else. Our
 * environment may hold things the node has no business seeing (a password file path, tokens).
 */
const INHERITED =
  /^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|TEMP|TMP|LD_LIBRARY_PATH|DYLD_LIBRARY_PATH|CUDA_[A-Z_]+|NVIDIA_[A-Z_]+|HIP_[A-Z_]+|ROCR_[A-Z_]+|HSA_[A-Z_]+|SYSTEMROOT|SystemRoot|WINDIR|COMSPEC|PATHEXT|USERPROFILE|APPDATA|LOCALAPPDATA)$/;

export function inheritedEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && INHERITED.test(name)) out[name] = value;
  }
  return out;
}
