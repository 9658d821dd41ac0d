import { describe, expect, test } from "bun:test";
import { getAddress } from "ethers";
import { BASE_SEPOLIA_CONTRACTS, resolveNetwork } from "../../../src/chain/networks.ts";
import { verifyNetwork } from "../../../src/chain/verify-network.ts";
import { batchingSender } from "../../../src/chain/rpc/batch-sender.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { TEST_CONTRACTS, testConfig } from "./helpers.ts";
import { ChainErrors } from "../../../src/errors/codes/index.ts";

function errorOf(fn: () => unknown): HostError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HostError);
    return error as HostError;
  }
  throw new Error("expected a HostError");
}

describe("resolveNetwork", () => {
  test("base-sepolia: the live addresses and the public RPC", () => {
    const network = resolveNetwork(testConfig());
    expect(network).toMatchObject({ name: "base-sepolia", chainId: 84532, rpcUrls: ["https://sepolia.base.org"] });
    expect(network.contracts).toEqual(BASE_SEPOLIA_CONTRACTS);
    expect(network.contracts.jobMarketplace).toBe("0xD067719Ee4c514B5735d1aC0FfB46FECf2A9adA4");
  });

  test("a preset's addresses are written checksummed (resolution takes them as they are)", () => {
    for (const address of Object.values(BASE_SEPOLIA_CONTRACTS)) expect(address).toBe(getAddress(address));
  });

  test("config overrides beat the preset, and addresses come back checksummed", () => {
    const network = resolveNetwork(
      testConfig({ rpcUrls: ["https://a.example", "https://b.example"], contracts: { nodeRegistry: "0xabcdefabcdefabcdefabcdefabcdefabcdefabcd" } }),
    );
    expect(network.rpcUrls).toEqual(["https://a.example", "https://b.example"]);
    expect(network.contracts.nodeRegistry).toBe("0xABcdEFABcdEFabcdEfAbCdefabcdeFABcDEFabCD");
    expect(network.contracts.hostEarnings).toBe(BASE_SEPOLIA_CONTRACTS.hostEarnings);
  });

  test("base-mainnet refuses to run without every address, naming the missing ones", () => {
    const error = errorOf(() =>
      resolveNetwork(testConfig({ network: "base-mainnet", chainId: 8453, contracts: { nodeRegistry: TEST_CONTRACTS.nodeRegistry } })),
    );
    expect(error.code).toBe(ChainErrors.NETWORK_ADDRESSES_MISSING.code);
    expect(error.message).toContain("contracts.jobMarketplace");
    expect(error.message).not.toContain("contracts.nodeRegistry");
    expect(error.exitCode).toBe(2);
  });

  test("base-mainnet with every address configured", () => {
    const network = resolveNetwork(testConfig({ network: "base-mainnet", chainId: 8453, rpcUrls: ["https://mainnet.base.org"], contracts: TEST_CONTRACTS }));
    expect(network.chainId).toBe(8453);
    expect(network.contracts.usdcToken).toBe(TEST_CONTRACTS.usdcToken);
  });

  test("local reads the deployment file; its RPC replaces the untouched default", () => {
    const files: Record<string, string> = {
      "/dev/deployment.json": JSON.stringify({ chainId: 31337, rpcUrl: "http://127.0.0.1:40123", contracts: TEST_CONTRACTS }),
    };
    const read = (path: string) => {
      if (!(path in files)) throw new Error(`ENOENT: ${path}`);
      return files[path]!;
    };
    const config = testConfig({ network: "local", chainId: 31337, rpcUrls: ["http://127.0.0.1:8545"], deploymentFile: "/dev/deployment.json" });
    const network = resolveNetwork(config, read);
    expect(network.rpcUrls).toEqual(["http://127.0.0.1:40123"]);
    expect(network.contracts.fabToken).toBe(TEST_CONTRACTS.fabToken);
    // An RPC the operator set on purpose wins.
    expect(resolveNetwork({ ...config, rpcUrls: ["http://10.0.0.2:8545"] }, read).rpcUrls).toEqual(["http://10.0.0.2:8545"]);
    expect(errorOf(() => resolveNetwork({ ...config, deploymentFile: "/missing.json" }, read)).code).toBe(ChainErrors.DEPLOYMENT_FILE.code);
    expect(errorOf(() => resolveNetwork({ ...config, deploymentFile: null }, read)).code).toBe(ChainErrors.DEPLOYMENT_FILE.code);
  });

  test("custom takes everything from the config", () => {
    const config = testConfig({ network: "custom", chainId: 999, rpcUrls: ["https://rpc.example"], contracts: TEST_CONTRACTS });
    expect(resolveNetwork(config)).toMatchObject({ chainId: 999, rpcUrls: ["https://rpc.example"], explorerUrl: null });
    expect(errorOf(() => resolveNetwork({ ...config, rpcUrls: [] })).code).toBe(ChainErrors.RPC_URL_MISSING.code);
    expect(errorOf(() => resolveNetwork({ ...config, chainId: 0 })).code).toBe(ChainErrors.CHAIN_ID_CONFLICT.code);
  });

  test("a malformed address and a chain id that contradicts the preset are usage errors", () => {
    expect(errorOf(() => resolveNetwork(testConfig({ contracts: { fabToken: "0x1234" } }))).message).toContain("contracts.fabToken");
    const conflict = errorOf(() => resolveNetwork(testConfig({ chainId: 8453 })));
    expect(conflict.code).toBe(ChainErrors.CHAIN_ID_CONFLICT.code);
    expect(conflict.message).toContain("84532");
  });
});

describe("verifyNetwork", () => {
  const network = resolveNetwork(testConfig({ rpcUrls: ["https://base-sepolia.g.alchemy.com/v2/abcdefghijklmnopqrstuvwxyz123456"] }));
  const client = (chainId: number, emptyAt: string[] = []) => ({
    calls: [] as string[],
    async send(method: string, params: unknown[]) {
      this.calls.push(method);
      if (method === "eth_chainId") return `0x${chainId.toString(16)}`;
      return emptyAt.includes(String(params[0])) ? "0x" : "0x6080604052";
    },
  });

  test("passes on the right chain with code everywhere", async () => {
    const check = await verifyNetwork(client(84532), network);
    expect(check.chainId).toBe(84532);
    expect(check.codeSizes.nodeRegistry).toBe(5);
  });

  test("a wrong chain names what was expected and found, without the RPC key", async () => {
    const error = (await verifyNetwork(client(8453), network).catch((e: unknown) => e)) as HostError;
    expect(error.code).toBe(ChainErrors.CHAIN_ID_MISMATCH.code);
    expect(error.message).toContain("Expected Base Sepolia (chain id 84532)");
    expect(error.message).toContain("chain id 8453 (Base)");
    expect(error.message).toContain("https://base-sepolia.g.alchemy.com/v2/***");
    expect(error.message).not.toContain("abcdefghijklmnop");
  });

  test("an address without code is named", async () => {
    const error = (await verifyNetwork(client(84532, [BASE_SEPOLIA_CONTRACTS.proofSystem]), network).catch((e: unknown) => e)) as HostError;
    expect(error.code).toBe(ChainErrors.CONTRACT_NOT_DEPLOYED.code);
    expect(error.message).toContain(`proofSystem ${BASE_SEPOLIA_CONTRACTS.proofSystem}`);
  });
});

describe("the network check's own sender", () => {
  test("the calls of one turn go to the pool as one batch, each answer to its own call", async () => {
    const batches: { method: string; id: number }[][] = [];
    const pool = {
      send: async (payloads: { id: number; method: string }[]) => {
        batches.push(payloads.map(({ id, method }) => ({ id, method })));
        // Answers in another order than asked: matched by id.
        return [...payloads].reverse().map((p) => ({ id: p.id, result: `${p.method}-answer` }));
      },
    };
    const sender = batchingSender(pool as never);
    const answers = await Promise.all([sender.send("eth_chainId", []), sender.send("eth_getCode", ["0x1", "latest"])]);
    expect(answers).toEqual(["eth_chainId-answer", "eth_getCode-answer"]);
    expect(batches).toEqual([
      [
        { id: 1, method: "eth_chainId" },
        { id: 2, method: "eth_getCode" },
      ],
    ]);
  });

  test("a JSON-RPC error answer fails that call with RPC_UNAVAILABLE; a pool failure fails every call of the batch", async () => {
    const sender = batchingSender({
      send: async (payloads: { id: number }[]) => payloads.map((p) => ({ id: p.id, error: { code: -32000, message: "boom" } })),
    } as never);
    const error = (await sender.send("eth_chainId", []).catch((e: unknown) => e)) as HostError;
    expect(error.code).toBe(ChainErrors.RPC_UNAVAILABLE.code);
    expect(error.message).toContain("eth_chainId");
    const down = batchingSender({ send: async () => Promise.reject(new Error("down")) } as never);
    const both = await Promise.all([down.send("a", []).catch((e: Error) => e.message), down.send("b", []).catch((e: Error) => e.message)]);
    expect(both).toEqual(["down", "down"]);
  });
});
