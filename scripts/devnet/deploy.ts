/**
 * Deploys the Fabstir contracts to a devnet chain, approves the fake models and funds
 * the host and client accounts.
 *
 * Every transaction is signed locally with an explicit nonce, gas limit and fees and
 * sent without waiting for the previous one to be mined: anvil mines them in nonce
 * order, and the receipts are collected once at the end. Contract addresses are known
 * in advance from (deployer, nonce), so later constructors can name earlier contracts.
 */
import { ContractFactory, Interface, Wallet, getCreateAddress, parseUnits } from "ethers";
import { ANVIL_ACCOUNTS } from "./accounts.ts";
import { DEVNET_CHAIN_ID } from "./anvil.ts";
import { compileContracts } from "./compile.ts";
import { DEVNET_MODEL_SPECS, fakeModelSha256 } from "./fake-models.ts";
import { modelId } from "./model-id.ts";
import { rpc, waitForReceipts } from "./rpc.ts";
import type { Artifacts, ContractName, Deployment, DevnetModel } from "./types.ts";

export interface DeployOptions {
  /** Seconds the host must wait after the last proof to complete a session (default 30, as live). */
  disputeWindow?: number;
  /** Treasury share of host payments in basis points (default 1000 = 10%, as live). */
  feeBasisPoints?: number;
  /**
   * Tokens a client pays for when it completes a session before any proof (`setMinTokensFee`; default 0: no
   * early-cancel fee). The live rule: fabstir-compute-contracts@faa3621 src/JobMarketplaceWithModelsUpgradeable.sol
   * (`_settleSessionPayments`).
   */
  minTokensFee?: number;
  /** FAB given to the host and the client (whole tokens, default 5000). */
  fabPerAccount?: number;
  /** USDC given to the host and the client (whole tokens, default 10000). */
  usdcPerAccount?: number;
}

const DEPLOY_GAS = 8_000_000n;
const CALL_GAS = 500_000n;

interface PlannedTx {
  label: string;
  to?: string;
  data: string;
}

export async function deployFabstir(rpcUrl: string, opts: DeployOptions = {}): Promise<Deployment> {
  const disputeWindow = opts.disputeWindow ?? 30;
  const artifacts = await compileContracts();
  const [deployer, host, client] = ANVIL_ACCOUNTS as [(typeof ANVIL_ACCOUNTS)[number], (typeof ANVIL_ACCOUNTS)[number], (typeof ANVIL_ACCOUNTS)[number]];
  const chainId = Number(BigInt(await rpc<string>(rpcUrl, "eth_chainId")));
  if (chainId !== DEVNET_CHAIN_ID) throw new Error(`refusing to deploy to chain ${chainId}: not a devnet`);
  const firstNonce = Number(BigInt(await rpc<string>(rpcUrl, "eth_getTransactionCount", [deployer.address, "pending"])));

  const planned: PlannedTx[] = [];
  const addressAt = (nonce: number) => getCreateAddress({ from: deployer.address, nonce });
  const deploy = async (label: string, name: ContractName, args: unknown[]): Promise<string> => {
    const address = addressAt(firstNonce + planned.length);
    const tx = await factory(artifacts, name).getDeployTransaction(...args);
    planned.push({ label, data: tx.data });
    return address;
  };
  const call = (label: string, to: string, name: ContractName, fn: string, args: unknown[]) => {
    planned.push({ label, to, data: new Interface(artifacts[name].abi).encodeFunctionData(fn, args) });
  };

  const fabToken = await deploy("FAB token", "TestToken", ["Fabstir Token", "FAB", 18]);
  const usdcToken = await deploy("USDC token", "TestToken", ["USD Coin (devnet)", "USDC", 6]);
  const modelRegistry = await deploy("ModelRegistry", "ModelRegistry", []);
  const hostEarnings = await deploy("HostEarnings", "HostEarnings", []);
  const proofSystem = await deploy("ProofSystem", "ProofSystem", []);
  const nodeRegistry = await deploy("NodeRegistry", "NodeRegistryWithModels", [fabToken, modelRegistry]);
  const jobMarketplace = await deploy("JobMarketplace", "JobMarketplaceWithModels", [
    nodeRegistry,
    hostEarnings,
    proofSystem,
    usdcToken,
    opts.feeBasisPoints ?? 1000,
    disputeWindow,
  ]);

  const models: DevnetModel[] = [];
  for (const { repo, file } of DEVNET_MODEL_SPECS) {
    const sha256 = fakeModelSha256(repo, file);
    call(`approve ${repo}:${file}`, modelRegistry, "ModelRegistry", "addTrustedModel", [repo, file, sha256]);
    models.push({ id: modelId(repo, file), repo, file, sha256 });
  }
  if (opts.minTokensFee) call("early-cancel fee", jobMarketplace, "JobMarketplaceWithModels", "setMinTokensFee", [opts.minTokensFee]);
  call("authorize marketplace in HostEarnings", hostEarnings, "HostEarnings", "setAuthorizedCaller", [jobMarketplace, true]);
  call("authorize marketplace in ProofSystem", proofSystem, "ProofSystem", "setAuthorizedCaller", [jobMarketplace, true]);
  const fab = parseUnits(String(opts.fabPerAccount ?? 5000), 18);
  const usdc = parseUnits(String(opts.usdcPerAccount ?? 10000), 6);
  for (const account of [host, client]) {
    call(`FAB to ${account.address}`, fabToken, "TestToken", "mint", [account.address, fab]);
    call(`USDC to ${account.address}`, usdcToken, "TestToken", "mint", [account.address, usdc]);
  }

  await sendAll(rpcUrl, deployer.privateKey, firstNonce, planned);

  const abis = Object.fromEntries(Object.entries(artifacts).map(([name, artifact]) => [name, artifact.abi])) as Deployment["abis"];
  return {
    chainId,
    rpcUrl,
    contracts: { jobMarketplace, nodeRegistry, hostEarnings, modelRegistry, proofSystem, fabToken, usdcToken },
    accounts: { deployer: { ...deployer }, host: { ...host }, client: { ...client } },
    models,
    disputeWindow,
    abis,
  };
}

function factory(artifacts: Artifacts, name: ContractName): ContractFactory {
  return new ContractFactory(artifacts[name].abi, artifacts[name].bytecode);
}

async function sendAll(rpcUrl: string, privateKey: string, firstNonce: number, planned: PlannedTx[]): Promise<void> {
  const wallet = new Wallet(privateKey);
  const block = await rpc<{ baseFeePerGas?: string }>(rpcUrl, "eth_getBlockByNumber", ["latest", false]);
  // Comfortably above the base fee, which only falls on an idle anvil.
  const maxFeePerGas = BigInt(block.baseFeePerGas ?? "0x3b9aca00") * 2n + 1_000_000_000n;
  const hashes: string[] = [];
  for (const [i, tx] of planned.entries()) {
    const raw = await wallet.signTransaction({
      type: 2,
      chainId: DEVNET_CHAIN_ID,
      nonce: firstNonce + i,
      to: tx.to ?? null,
      data: tx.data,
      gasLimit: tx.to ? CALL_GAS : DEPLOY_GAS,
      maxFeePerGas,
      maxPriorityFeePerGas: 1_000_000_000n,
    });
    hashes.push(await rpc<string>(rpcUrl, "eth_sendRawTransaction", [raw]));
  }
  const receipts = await waitForReceipts(rpcUrl, hashes);
  receipts.forEach((receipt, i) => {
    if (receipt.status !== "0x1") throw new Error(`devnet deployment step failed: ${planned[i]?.label}`);
  });
}
