import { describe, expect, test } from "bun:test";
import { buildNodeEnv, inheritedEnv, type NodeNetwork } from "../../../../src/node/supervisor/node-env.ts";
import { resolveConfig } from "../../../../src/config/store.ts";
import type { HostConfig } from "../../../../src/config/types.ts";
import { HostError } from "../../../../src/errors/host-error.ts";
import { SupervisorErrors } from "../../../../src/errors/codes/index.ts";

const network: NodeNetwork = {
  chainId: 84532,
  rpcUrls: ["https://rpc.one.example", "https://rpc.two.example"],
  contracts: {
    jobMarketplace: "0xD067719Ee4c514B5735d1aC0FfB46FECf2A9adA4",
    nodeRegistry: "0x8BC0Af4aAa2dfb99699B1A24bA85E507de10Fd22",
    hostEarnings: "0xE4F33e9e132E60fc3477509f99b9E1340b91Aee0",
    modelRegistry: "0x1a9d91521c85bD252Ac848806Ff5096bBb9ACDb2",
    proofSystem: "0xE8DCa89e1588bbbdc4F7D5F78263632B35401B31",
    fabToken: "0xC78949004B4EB6dEf2D66e49Cd81231472612D62",
    usdcToken: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
  },
};
const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

function config(node: Partial<HostConfig["node"]> = {}): HostConfig {
  const base = resolveConfig({ network: "base-sepolia" }, {}, {}).config;
  return { ...base, node: { ...base.node, ...node } };
}

describe("buildNodeEnv", () => {
  test("maps the config and the network onto the node's variables", () => {
    const env = buildNodeEnv(
      config({ internalPort: 8181, p2pPort: 9100, gpuLayers: 20, contextLength: 4096, batchSize: 512, logLevel: "fabstir=debug" }),
      network,
      { modelPath: "/m/model.gguf" },
    );
    expect(env).toEqual({
      API_PORT: "8181",
      P2P_PORT: "9100",
      MODEL_PATH: "/m/model.gguf",
      GPU_LAYERS: "20",
      MAX_CONTEXT_LENGTH: "4096",
      LLAMA_BATCH_SIZE: "512",
      RPC_URL: "https://rpc.one.example",
      BASE_SEPOLIA_RPC_URL: "https://rpc.one.example",
      CHAIN_ID: "84532",
      RUST_LOG: "fabstir=debug",
      CONTRACT_JOB_MARKETPLACE: network.contracts.jobMarketplace,
      CONTRACT_NODE_REGISTRY: network.contracts.nodeRegistry,
      CONTRACT_HOST_EARNINGS: network.contracts.hostEarnings,
      CONTRACT_MODEL_REGISTRY: network.contracts.modelRegistry,
      CONTRACT_PROOF_SYSTEM: network.contracts.proofSystem,
      FAB_TOKEN: network.contracts.fabToken,
      USDC_TOKEN: network.contracts.usdcToken,
    });
  });

  test("the key goes in only when the node signs", () => {
    expect(buildNodeEnv(config({ signer: "node" }), network, { modelPath: "/m", hostKey: KEY }).HOST_PRIVATE_KEY).toBe(KEY);
    expect(buildNodeEnv(config({ signer: "cli" }), network, { modelPath: "/m", hostKey: KEY })).not.toHaveProperty("HOST_PRIVATE_KEY");
    expect(buildNodeEnv(config({ signer: "node" }), network, { modelPath: "/m" })).not.toHaveProperty("HOST_PRIVATE_KEY");
  });

  test("extra variables pass, but never override ours, never carry a secret, and never add the old token spelling", () => {
    const env = buildNodeEnv(
      config({ extraEnv: { ENHANCED_S5_URL: "http://s5", API_PORT: "1", CONTRACT_FAB_TOKEN: "0xold", CONTRACT_USDC_TOKEN: "0xold" } }),
      network,
      { modelPath: "/m" },
    );
    expect(env.ENHANCED_S5_URL).toBe("http://s5");
    expect(env.API_PORT).toBe(String(config().node.internalPort));
    expect(env).not.toHaveProperty("CONTRACT_FAB_TOKEN");
    expect(env).not.toHaveProperty("CONTRACT_USDC_TOKEN");
    expect(() => buildNodeEnv(config({ extraEnv: { HOST_PRIVATE_KEY: KEY } }), network, { modelPath: "/m" })).toThrow(HostError);
    try {
      buildNodeEnv(config({ extraEnv: { HOST_PRIVATE_KEY: KEY } }), network, { modelPath: "/m" });
    } catch (error) {
      expect((error as HostError).code).toBe(SupervisorErrors.NODE_ENV_INVALID.code);
      expect((error as HostError).message).not.toContain(KEY);
    }
  });

  test("BASE_SEPOLIA_RPC_URL is always set (the node's ChainRegistry .expects it, fabstir-llm-node@85a87b8 src/blockchain/chain_config.rs:40-41)", () => {
    const local = buildNodeEnv(config(), { ...network, chainId: 31337, rpcUrls: ["http://127.0.0.1:8545"] }, { modelPath: "/m" });
    expect(local.BASE_SEPOLIA_RPC_URL).toBe("http://127.0.0.1:8545");
    expect(buildNodeEnv(config({ extraEnv: { BASE_SEPOLIA_RPC_URL: "https://elsewhere" } }), network, { modelPath: "/m" }).BASE_SEPOLIA_RPC_URL).toBe(
      "https://rpc.one.example",
    );
  });

  test("s5.url feeds ENHANCED_S5_URL (src/storage/s5_client.rs:603-640); unset, nothing is invented", () => {
    const base = config();
    expect(buildNodeEnv(base, network, { modelPath: "/m" })).not.toHaveProperty("ENHANCED_S5_URL");
    const withS5 = { ...base, s5: { url: "http://127.0.0.1:5522" }, node: { ...base.node, extraEnv: { ENHANCED_S5_URL: "http://old" } } };
    expect(buildNodeEnv(withS5, network, { modelPath: "/m" }).ENHANCED_S5_URL).toBe("http://127.0.0.1:5522");
  });

  test("refuses to start the node without an RPC URL (it would fall back to a third-party one)", () => {
    expect(() => buildNodeEnv(config(), { ...network, rpcUrls: [" "] }, { modelPath: "/m" })).toThrow(/No RPC URL/);
  });

  test("refuses a network with a contract missing", () => {
    const contracts = { ...network.contracts, proofSystem: "" };
    expect(() => buildNodeEnv(config(), { ...network, contracts }, { modelPath: "/m" })).toThrow(/proofSystem/);
  });
});

describe("inheritedEnv", () => {
  test("keeps what the node needs to find its libraries and GPU, nothing else", () => {
    const env = inheritedEnv({
      PATH: "/usr/bin",
      HOME: "/home/h",
      LD_LIBRARY_PATH: "/cuda/lib",
      CUDA_VISIBLE_DEVICES: "0",
      NVIDIA_DRIVER_CAPABILITIES: "compute",
      FABSTIR_PASSWORD_FILE: "/secret/pw",
      AWS_SECRET_ACCESS_KEY: "x",
      HOST_PRIVATE_KEY: KEY,
      UNSET: undefined,
    });
    expect(env).toEqual({ PATH: "/usr/bin", HOME: "/home/h", LD_LIBRARY_PATH: "/cuda/lib", CUDA_VISIBLE_DEVICES: "0", NVIDIA_DRIVER_CAPABILITIES: "compute" });
  });
});
