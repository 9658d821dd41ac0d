import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Wallet, ZeroAddress, parseEther, type Contract } from "ethers";
import {
  DEVNET_HOOK_TIMEOUT_MS,
  devnetContracts,
  devnetWallet,
  expectRevert,
  mine,
  registerHost,
  revertAfterEach,
  startTestDevnet,
  type TestDevnet,
} from "../../helpers/devnet.ts";

const MIN_NATIVE = 227_273n;
const MAX_NATIVE = 22_727_272_727_273_000n;
const MIN_STABLE = 1n;
const MAX_STABLE = 100_000_000n;
const DAY = 24 * 3600;

let devnet: TestDevnet;
let host: ReturnType<typeof devnetContracts>;
let owner: ReturnType<typeof devnetContracts>;
let hostAddress: string;
let models: string[];

beforeAll(async () => {
  devnet = await startTestDevnet();
  host = devnetContracts(devnet.deployment, devnetWallet(devnet.deployment.accounts.host, devnet.provider));
  owner = devnetContracts(devnet.deployment, devnetWallet(devnet.deployment.accounts.deployer, devnet.provider));
  hostAddress = devnet.deployment.accounts.host.address;
  models = devnet.deployment.models.map((m) => m.id);
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => devnet?.stop());
revertAfterEach(() => devnet.rpcUrl);

const fn = (contract: Contract, name: string) => contract.getFunction(name);
const send = async (contract: Contract, name: string, ...args: unknown[]) => {
  const tx = await fn(contract, name)(...args);
  return tx.wait();
};
const approveStake = (amount = parseEther("1000")) => send(host.fabToken, "approve", devnet.deployment.contracts.nodeRegistry, amount);
const register = (modelIds = models, native = 3_000_000n, stable = 5000n) =>
  fn(host.nodeRegistry, "registerNode")('{"hardware":{"gpu":"x"}}', "http://127.0.0.1:8080", modelIds, native, stable);

describe("ModelRegistry", () => {
  test("the devnet models are approved with the fake files' hashes", async () => {
    const all = (await fn(host.modelRegistry, "getAllModels")()) as string[];
    expect(all).toEqual(models);
    for (const model of devnet.deployment.models) {
      expect(await fn(host.modelRegistry, "getModelId")(model.repo, model.file)).toBe(model.id);
      expect(await fn(host.modelRegistry, "isModelApproved")(model.id)).toBe(true);
      expect(await fn(host.modelRegistry, "getModelHash")(model.id)).toBe(model.sha256);
      const info = await fn(host.modelRegistry, "getModel")(model.id);
      expect([info.huggingfaceRepo, info.fileName, info.sha256Hash, info.approvalTier, info.active]).toEqual([model.repo, model.file, model.sha256, 1n, true]);
      expect((await fn(host.modelRegistry, "models")(model.id)).fileName).toBe(model.file);
    }
    expect(await fn(host.modelRegistry, "getModelRateLimit")(models[0])).toBe(2000n);
  });

  test("only the owner adds or deactivates models", async () => {
    await expectRevert(fn(host.modelRegistry, "addTrustedModel")("a/b", "c.gguf", `0x${"11".repeat(32)}`), "OwnableUnauthorizedAccount");
    const receipt = await send(owner.modelRegistry, "addTrustedModel", "a/b", "c.gguf", `0x${"11".repeat(32)}`);
    expect(receipt.logs.map((l: never) => owner.modelRegistry.interface.parseLog(l)?.name)).toContain("ModelAdded");
    await expectRevert(fn(owner.modelRegistry, "addTrustedModel")("a/b", "c.gguf", `0x${"11".repeat(32)}`), "Model already exists");
    await send(owner.modelRegistry, "deactivateModel", models[1]);
    expect(await fn(host.modelRegistry, "isModelApproved")(models[1])).toBe(false);
  });
});

describe("registration", () => {
  test("registerNode pulls exactly MIN_STAKE and records the node", async () => {
    await approveStake(parseEther("5000"));
    const before = (await fn(host.fabToken, "balanceOf")(hostAddress)) as bigint;
    const receipt = await (await register()).wait();
    expect(before - ((await fn(host.fabToken, "balanceOf")(hostAddress)) as bigint)).toBe(parseEther("1000"));
    const event = host.nodeRegistry.interface.parseLog(receipt.logs.at(-1));
    expect(event?.name).toBe("NodeRegistered");
    expect(event?.args.stakedAmount).toBe(parseEther("1000"));

    const node = await fn(host.nodeRegistry, "nodes")(hostAddress);
    expect([node.operator, node.stakedAmount, node.active, node.apiUrl]).toEqual([hostAddress, parseEther("1000"), true, "http://127.0.0.1:8080"]);
    expect([node.minPricePerTokenNative, node.minPricePerTokenStable]).toEqual([3_000_000n, 5000n]);
    const full = await fn(host.nodeRegistry, "getNodeFullInfo")(hostAddress);
    expect(full[5]).toEqual(models);
    expect(await fn(host.nodeRegistry, "isActiveNode")(hostAddress)).toBe(true);
    expect(await fn(host.nodeRegistry, "getNodeModels")(hostAddress)).toEqual(models);
    expect(await fn(host.nodeRegistry, "nodeSupportsModel")(hostAddress, models[1])).toBe(true);
    expect(await fn(host.nodeRegistry, "getAllActiveNodes")()).toEqual([hostAddress]);
    expect(await fn(host.nodeRegistry, "getNodesForModel")(models[0])).toEqual([hostAddress]);
    await expectRevert(register(), "Already registered");
  });

  test("registerNode without an FAB approval reverts in the token", async () => {
    await expectRevert(register(), "ERC20: transfer amount exceeds allowance");
  });

  test("registerNode refuses unapproved models and out-of-bounds prices", async () => {
    await approveStake();
    await expectRevert(register([`0x${"ab".repeat(32)}`]), "Model not approved");
    await expectRevert(register([]), "Must support at least one model");
    await expectRevert(register(models, MIN_NATIVE - 1n), "Native price below minimum");
    await expectRevert(register(models, MAX_NATIVE + 1n), "Native price above maximum");
    await expectRevert(register(models, MIN_NATIVE, 0n), "Stable price below minimum");
    await expectRevert(register(models, MAX_NATIVE, MAX_STABLE + 1n), "Stable price above maximum");
    await (await register(models, MAX_NATIVE, MIN_STABLE)).wait();
  });

  test("constants match the live registry", async () => {
    const read = (name: string) => fn(host.nodeRegistry, name)();
    expect(await read("MIN_STAKE")).toBe(parseEther("1000"));
    expect(await read("PRICE_PRECISION")).toBe(1000n);
    expect([await read("MIN_PRICE_PER_TOKEN_NATIVE"), await read("MAX_PRICE_PER_TOKEN_NATIVE")]).toEqual([MIN_NATIVE, MAX_NATIVE]);
    expect([await read("MIN_PRICE_PER_TOKEN_STABLE"), await read("MAX_PRICE_PER_TOKEN_STABLE")]).toEqual([MIN_STABLE, MAX_STABLE]);
    expect(await read("fabToken")).toBe(devnet.deployment.contracts.fabToken);
    expect(await read("modelRegistry")).toBe(devnet.deployment.contracts.modelRegistry);
  });
});

describe("pricing", () => {
  const usdc = () => devnet.deployment.contracts.usdcToken;

  test("set, read and clear per-model per-token prices", async () => {
    await registerHost(devnet.deployment, devnet.provider, { setPrices: false });
    // No fallback to the registration minimums: an unpriced pair reverts.
    await expectRevert(fn(host.nodeRegistry, "getModelPricing")(hostAddress, models[0], ZeroAddress), "No model pricing");
    expect(await fn(host.nodeRegistry, "getModelPricing")(Wallet.createRandom().address, models[0], ZeroAddress)).toBe(0n);

    const receipt = await send(host.nodeRegistry, "setModelTokenPricing", models[0], usdc(), 7000n);
    const event = host.nodeRegistry.interface.parseLog(receipt.logs[0]);
    expect([event?.name, event?.args.modelId, event?.args.token, event?.args.price]).toEqual(["ModelTokenPricingUpdated", models[0], usdc(), 7000n]);
    await send(host.nodeRegistry, "setModelTokenPricing", models[0], ZeroAddress, 4_000_000n);
    expect(await fn(host.nodeRegistry, "getModelPricing")(hostAddress, models[0], usdc())).toBe(7000n);
    expect(await fn(host.nodeRegistry, "modelTokenPricing")(hostAddress, models[0], ZeroAddress)).toBe(4_000_000n);
    const [ids, prices] = await fn(host.nodeRegistry, "getHostModelPrices")(hostAddress, usdc());
    expect([...ids]).toEqual(models);
    expect([...prices]).toEqual([7000n, 0n]);

    await send(host.nodeRegistry, "clearModelTokenPricing", models[0], usdc());
    await expectRevert(fn(host.nodeRegistry, "getModelPricing")(hostAddress, models[0], usdc()), "No model pricing");
  });

  test("price bounds depend on the token type; unsupported models and strangers are refused", async () => {
    await registerHost(devnet.deployment, devnet.provider, { modelIds: [models[0]!], setPrices: false });
    const set = fn(host.nodeRegistry, "setModelTokenPricing");
    await expectRevert(set(models[0], ZeroAddress, MIN_NATIVE - 1n), "Native price below minimum");
    await expectRevert(set(models[0], ZeroAddress, MAX_NATIVE + 1n), "Native price above maximum");
    await expectRevert(set(models[0], usdc(), 0n), "Stable price below minimum");
    await expectRevert(set(models[0], usdc(), MAX_STABLE + 1n), "Stable price above maximum");
    await expectRevert(set(models[1], usdc(), 5000n), "Model not supported");
    const client = devnetContracts(devnet.deployment, devnetWallet(devnet.deployment.accounts.client, devnet.provider));
    await expectRevert(fn(client.nodeRegistry, "setModelTokenPricing")(models[0], usdc(), 5000n), "Not registered");
    await expectRevert(fn(client.nodeRegistry, "clearModelTokenPricing")(models[0], usdc()), "Not registered");
  });
});

describe("maintenance", () => {
  test("update API URL, metadata and models emit their events", async () => {
    await registerHost(devnet.deployment, devnet.provider, { modelIds: [models[0]!] });
    const names = (receipt: { logs: never[] }) => receipt.logs.map((l) => host.nodeRegistry.interface.parseLog(l)?.name);
    expect(names(await send(host.nodeRegistry, "updateApiUrl", "http://10.0.0.1:9000"))).toEqual(["ApiUrlUpdated"]);
    expect(names(await send(host.nodeRegistry, "updateMetadata", '{"hardware":{"gpu":"y"}}'))).toEqual(["MetadataUpdated"]);
    expect(names(await send(host.nodeRegistry, "updateSupportedModels", [models[1]]))).toEqual(["ModelsUpdated"]);
    const node = await fn(host.nodeRegistry, "nodes")(hostAddress);
    expect([node.apiUrl, node.metadata]).toEqual(["http://10.0.0.1:9000", '{"hardware":{"gpu":"y"}}']);
    expect(await fn(host.nodeRegistry, "getNodeModels")(hostAddress)).toEqual([models[1]]);
    expect(await fn(host.nodeRegistry, "getNodesForModel")(models[0])).toEqual([]);
    await expectRevert(fn(host.nodeRegistry, "updateApiUrl")(""), "Empty API URL");
    await expectRevert(fn(host.nodeRegistry, "updateMetadata")(""), "Empty metadata");
    await expectRevert(fn(host.nodeRegistry, "updateSupportedModels")([`0x${"cd".repeat(32)}`]), "Model not approved");
  });

  test("stake adds FAB silently; unregisterNode returns the whole stake", async () => {
    await registerHost(devnet.deployment, devnet.provider);
    await send(host.fabToken, "approve", devnet.deployment.contracts.nodeRegistry, parseEther("250"));
    const stakeReceipt = await send(host.nodeRegistry, "stake", parseEther("250"));
    expect(stakeReceipt.logs.filter((l: { address: string }) => l.address === devnet.deployment.contracts.nodeRegistry)).toEqual([]);
    expect((await fn(host.nodeRegistry, "nodes")(hostAddress)).stakedAmount).toBe(parseEther("1250"));
    await expectRevert(fn(host.nodeRegistry, "stake")(0n), "Zero amount");

    const before = (await fn(host.fabToken, "balanceOf")(hostAddress)) as bigint;
    const receipt = await send(host.nodeRegistry, "unregisterNode");
    const event = host.nodeRegistry.interface.parseLog(receipt.logs.at(-1));
    expect([event?.name, event?.args.returnedAmount]).toEqual(["NodeUnregistered", parseEther("1250")]);
    expect(((await fn(host.fabToken, "balanceOf")(hostAddress)) as bigint) - before).toBe(parseEther("1250"));
    expect(await fn(host.nodeRegistry, "isActiveNode")(hostAddress)).toBe(false);
    expect(await fn(host.nodeRegistry, "getAllActiveNodes")()).toEqual([]);
    await expectRevert(fn(host.nodeRegistry, "unregisterNode")(), "Not registered");
  });
});

describe("slashing", () => {
  const slash = (amount: string) => fn(owner.nodeRegistry, "slashStake")(hostAddress, parseEther(amount), "bafyevidence", "overclaimed tokens");

  test("the slashing authority slashes up to 50% per day and unregisters below 100 FAB", async () => {
    await registerHost(devnet.deployment, devnet.provider);
    await expectRevert(fn(host.nodeRegistry, "slashStake")(hostAddress, 1n, "cid", "why"), "Not slashing authority");
    await expectRevert(slash("501"), "Exceeds max slash percentage");
    await expectRevert(fn(owner.nodeRegistry, "slashStake")(hostAddress, 1n, "", "why"), "Evidence CID required");

    const first = await (await slash("500")).wait();
    const executed = owner.nodeRegistry.interface.parseLog(first.logs.at(-1));
    expect(executed?.name).toBe("SlashExecuted");
    expect([executed?.args.amount, executed?.args.remainingStake, executed?.args.executor]).toEqual([
      parseEther("500"),
      parseEther("500"),
      devnet.deployment.accounts.deployer.address,
    ]);
    await expectRevert(slash("1"), "Slash cooldown active");

    for (const amount of ["250", "125"]) {
      await mine(devnet.rpcUrl, DAY);
      await (await slash(amount)).wait();
    }
    await mine(devnet.rpcUrl, DAY);
    const before = (await fn(host.fabToken, "balanceOf")(hostAddress)) as bigint;
    const last = await (await slash("60")).wait(); // 125 -> 65 FAB, below the 100 FAB floor
    const events = last.logs
      .filter((l: { address: string }) => l.address === devnet.deployment.contracts.nodeRegistry)
      .map((l: never) => owner.nodeRegistry.interface.parseLog(l));
    expect(events.map((e: { name: string }) => e.name)).toEqual(["SlashExecuted", "HostAutoUnregistered"]);
    expect([events[1].args.slashedAmount, events[1].args.returnedAmount]).toEqual([parseEther("60"), parseEther("65")]);
    expect(((await fn(host.fabToken, "balanceOf")(hostAddress)) as bigint) - before).toBe(parseEther("65"));
    expect(await fn(host.nodeRegistry, "isActiveNode")(hostAddress)).toBe(false);
  });
});
