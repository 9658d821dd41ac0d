/**
 * The chain layer against the devnet contracts (which answer to the live ABIs): network checks, typed reads through
 * the project's ABI fragments, a host's registration through the TxSender with real revert reasons, and a cold
 * status read in at most two HTTP round trips.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Interface, Wallet, ZeroAddress } from "ethers";
import { connectChain, type ChainClient } from "../../../src/chain/client.ts";
import { NODE_REGISTRY_ABI } from "../../../src/chain/abi/index.ts";
import { readHostSnapshot } from "../../../src/chain/snapshot.ts";
import type { TxSender } from "../../../src/chain/tx/sender.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { DEVNET_HOOK_TIMEOUT_MS, openSession, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { testConfig } from "../../unit/chain/helpers.ts";
import { startRpcProxy, type RpcProxy } from "./fixtures/rpc-proxy.ts";
import { ChainErrors } from "../../../src/errors/codes/index.ts";

let devnet: TestDevnet;
let dir: string;
let config: HostConfig;
let chain: ChainClient;
let sender: TxSender;
let proxy: RpcProxy;

beforeAll(async () => {
  devnet = await startTestDevnet();
  dir = mkdtempSync(join(tmpdir(), "fabstir-chain-devnet-"));
  const deploymentFile = join(dir, "deployment.json");
  writeFileSync(deploymentFile, JSON.stringify(devnet.deployment));
  proxy = await startRpcProxy(devnet.rpcUrl);
  config = testConfig({ network: "local", chainId: 31337, rpcUrls: ["http://127.0.0.1:8545"], deploymentFile });
  chain = connectChain(config);
  sender = await chain.sender(new Wallet(devnet.deployment.accounts.host.privateKey), join(dir, "state"), { pollIntervalMs: 25 });
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await sender?.idle();
  chain?.close();
  await proxy?.close();
  await devnet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const host = () => devnet.deployment.accounts.host.address;

async function hostError(promise: Promise<unknown>): Promise<HostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return error as HostError;
}

describe("network", () => {
  test("the local network resolves from the deployment file and verifies", async () => {
    expect(chain.network.rpcUrls).toEqual([devnet.rpcUrl]);
    const check = await chain.verify();
    expect(check.chainId).toBe(31337);
    expect(Object.values(check.codeSizes).every((size) => size > 0)).toBe(true);
  });

  test("an RPC of another chain is named as such", async () => {
    const wrong = connectChain(testConfig({ rpcUrls: [devnet.rpcUrl] })); // base-sepolia addresses, anvil RPC
    try {
      const error = await hostError(wrong.verify());
      expect(error.code).toBe(ChainErrors.CHAIN_ID_MISMATCH.code);
      expect(error.message).toContain("Expected Base Sepolia (chain id 84532)");
      expect(error.message).toContain("chain id 31337");
    } finally {
      wrong.close();
    }
  });

  test("a stale address (no code) is named", async () => {
    const stale = connectChain({ ...config, contracts: { jobMarketplace: "0xeebeebc9a6c0b8ea06b2ffa4ab8f3b4c1a6c3a1d" } });
    try {
      const error = await hostError(stale.verify());
      expect(error.code).toBe(ChainErrors.CONTRACT_NOT_DEPLOYED.code);
      expect(error.message).toContain("jobMarketplace 0x");
    } finally {
      stale.close();
    }
  });
});

describe("reads through the project's fragments", () => {
  test("constants, models", async () => {
    const { nodeRegistry, modelRegistry, jobMarketplace } = chain.contracts;
    expect(await nodeRegistry.MIN_STAKE()).toBe(10n ** 21n);
    expect(await nodeRegistry.PRICE_PRECISION()).toBe(1000n);
    expect(await jobMarketplace.MIN_PROVEN_TOKENS()).toBe(100n);
    const model = devnet.deployment.models[0]!;
    expect(await modelRegistry.getModelId(model.repo, model.file)).toBe(model.id);
    expect(await modelRegistry.isModelApproved(model.id)).toBe(true);
    const info = await modelRegistry.getModel(model.id);
    expect(info.sha256Hash).toBe(model.sha256);
    expect(info.huggingfaceRepo).toBe(model.repo);
    expect((await modelRegistry.getAllModels()).length).toBe(devnet.deployment.models.length);
  });
});

describe("a host registers through the TxSender", () => {
  const models = () => devnet.deployment.models.map((m) => m.id);
  const metadata = JSON.stringify({ hardware: { gpu: "test", vram: 24 } });

  test("registerNode before approve would fail: the token's reason, nothing sent", async () => {
    const before = await chain.provider.getTransactionCount(host());
    const { to, data } = await chain.contracts.nodeRegistry.registerNode.populateTransaction(metadata, "http://127.0.0.1:8080", models(), 3_000_000n, 5000n);
    const error = await hostError(sender.submit({ key: `register:${host()}`, to, data, description: "register the host" }));
    expect(error.code).toBe(ChainErrors.TX_WOULD_REVERT.code);
    expect(error.message).toContain("ERC20: transfer amount exceeds allowance");
    expect(await chain.provider.getTransactionCount(host())).toBe(before);
  });

  test("approve, register, price every model for both tokens; then a status read sees it all", async () => {
    const { nodeRegistry, fabToken } = chain.contracts;
    const minStake = await nodeRegistry.MIN_STAKE();
    const approve = await fabToken.approve.populateTransaction(chain.network.contracts.nodeRegistry, minStake);
    await sender.submit({ key: `approve:stake:${host()}`, to: approve.to, data: approve.data, description: "approve the stake" });
    const register = await nodeRegistry.registerNode.populateTransaction(metadata, "http://127.0.0.1:8080", models(), 3_000_000n, 5000n);
    const registered = await sender.submit({ key: `register:${host()}`, to: register.to, data: register.data, description: "register the host" });

    const receipt = await chain.provider.getTransactionReceipt(registered.hash);
    const events = receipt!.logs.map((log) => new Interface(NODE_REGISTRY_ABI).parseLog(log)).filter((e) => e?.name === "NodeRegistered");
    expect(events[0]!.args.operator).toBe(host());

    for (const modelId of models()) {
      for (const [token, price] of [
        [ZeroAddress, 3_000_000n],
        [chain.network.contracts.usdcToken, 5000n],
      ] as const) {
        const call = await nodeRegistry.setModelTokenPricing.populateTransaction(modelId, token, price);
        await sender.submit({ key: `price:${modelId}:${token}:${price}`, to: call.to, data: call.data, description: "set a model price" });
      }
    }

    expect(await nodeRegistry.isActiveNode(host())).toBe(true);
    const node = await nodeRegistry.nodes(host());
    expect(node.apiUrl).toBe("http://127.0.0.1:8080");
    expect(node.stakedAmount).toBe(minStake);
    expect(await nodeRegistry.getModelPricing(host(), models()[0]!, chain.network.contracts.usdcToken)).toBe(5000n);
    const prices = await nodeRegistry.getHostModelPrices(host(), ZeroAddress);
    expect(prices.prices.every((p: bigint) => p === 3_000_000n)).toBe(true);

    // Registering twice: the contract's own reason.
    const again = await nodeRegistry.registerNode.populateTransaction(metadata, "http://x", models(), 3_000_000n, 5000n);
    const error = await hostError(sender.submit({ key: "register:again", to: again.to, data: again.data, description: "register the host" }));
    expect(error.message).toContain("Already registered");
  });

  test("a cold status read costs at most two HTTP round trips", async () => {
    const cold = connectChain({ ...config, rpcUrls: [proxy.url] });
    try {
      proxy.reset();
      const snapshot = await readHostSnapshot(cold.provider, cold.contracts, host());
      expect(snapshot.registered).toBe(true);
      expect(snapshot.active).toBe(true);
      expect(snapshot.models).toEqual(models());
      expect(snapshot.balances.fab).toBeGreaterThan(0n);
      expect(proxy.httpRequests).toBeLessThanOrEqual(2);
    } finally {
      cold.close();
    }
  });

  test("session state reads through the marketplace fragment", async () => {
    const jobId = await openSession(devnet.deployment, devnet.provider);
    const session = await chain.contracts.jobMarketplace.sessionJobs(jobId);
    expect(session.host).toBe(host());
    expect(session.status).toBe(0n);
    expect(session.depositor).toBe(devnet.deployment.accounts.client.address);
    expect(await chain.contracts.jobMarketplace.sessionModel(jobId)).toBe(devnet.deployment.models[0]!.id);
  });
});
