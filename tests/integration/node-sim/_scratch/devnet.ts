import { ContractFactory, JsonRpcProvider, Network, Wallet, Contract, NonceManager, parseEther } from "ethers";
import { compileContracts } from "../../../../scripts/devnet/compile.ts";
import { createServer } from "node:net";

async function freePort(): Promise<number> {
  return new Promise((res) => { const s = createServer(); s.listen(0, "127.0.0.1", () => { const p = (s.address() as any).port; s.close(() => res(p)); }); });
}
const KEYS = ["0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80","0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d","0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"];
export async function startTestDevnet() {
  const artifacts = await compileContracts();
  const port = await freePort();
  const anvil = Bun.spawn(["node_modules/.bin/anvil", "--port", String(port), "--silent"], { stdout: "ignore", stderr: "ignore" });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const provider = new JsonRpcProvider(rpcUrl, Network.from(31337), { staticNetwork: true, pollingInterval: 100 });
  for (let i = 0; i < 100; i++) { try { await provider.getBlockNumber(); break; } catch { await Bun.sleep(100); } }
  const deployer = new NonceManager(new Wallet(KEYS[0]!, provider));
  const deploy = async (name: keyof typeof artifacts, ...args: unknown[]) => {
    const c = await new ContractFactory(artifacts[name].abi, artifacts[name].bytecode, deployer).deploy(...args);
    await c.waitForDeployment(); return c as unknown as Contract;
  };
  const fab = await deploy("TestToken", "FAB", "FAB", 18);
  const usdc = await deploy("TestToken", "USDC", "USDC", 6);
  const models = await deploy("ModelRegistry");
  const registry = await deploy("NodeRegistryWithModels", await fab.getAddress(), await models.getAddress());
  const earnings = await deploy("HostEarnings");
  const proofs = await deploy("ProofSystem");
  const market = await deploy("JobMarketplaceWithModels", await registry.getAddress(), await earnings.getAddress(), await proofs.getAddress(), await usdc.getAddress(), 1000, 2);
  await (await earnings.getFunction("setAuthorizedCaller")(await market.getAddress(), true)).wait();
  await (await proofs.getFunction("setAuthorizedCaller")(await market.getAddress(), true)).wait();
  const host = new Wallet(KEYS[1]!), client = new Wallet(KEYS[2]!);
  await (await fab.getFunction("mint")(host.address, parseEther("5000"))).wait();
  const sha = "0x" + "ab".repeat(32);
  await (await models.getFunction("addTrustedModel")("Repo/Model", "model.gguf", sha)).wait();
  const id = await models.getFunction("getModelId")("Repo/Model", "model.gguf");
  return {
    rpcUrl,
    deployment: {
      chainId: 31337,
      contracts: { jobMarketplace: await market.getAddress(), nodeRegistry: await registry.getAddress(), hostEarnings: await earnings.getAddress(), fabToken: await fab.getAddress() },
      accounts: { host: { address: host.address, privateKey: KEYS[1]! }, client: { address: client.address, privateKey: KEYS[2]! } },
      models: [{ id, repo: "Repo/Model", file: "model.gguf" }],
      disputeWindow: 2,
    },
    async stop() { provider.destroy(); anvil.kill(); await anvil.exited; },
  };
}
