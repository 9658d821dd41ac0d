/** The devnet's faucet: funds a fresh host address with ETH for gas, FAB for the stake and some USDC, like a testnet faucet would. */
import { Contract, parseEther, parseUnits } from "ethers";
import { devnetProvider, devnetWallet } from "../devnet/actions.ts";
import type { Deployment } from "../devnet/types.ts";

// The deployer owns both test tokens and mints what the faucet gives out.
const ERC20 = ["function mint(address to, uint256 amount)"];

export async function fundHost(deployment: Deployment, address: string, amounts = { eth: "1", fab: "2000", usdc: "100" }): Promise<void> {
  const provider = devnetProvider(deployment.rpcUrl);
  try {
    const deployer = devnetWallet(deployment.accounts.deployer, provider);
    let nonce = await provider.getTransactionCount(deployer.address, "pending");
    const sends = [
      deployer.sendTransaction({ to: address, value: parseEther(amounts.eth), nonce: nonce++ }),
      new Contract(deployment.contracts.fabToken, ERC20, deployer).getFunction("mint")(address, parseEther(amounts.fab), { nonce: nonce++ }),
      new Contract(deployment.contracts.usdcToken, ERC20, deployer).getFunction("mint")(address, parseUnits(amounts.usdc, 6), { nonce: nonce++ }),
    ];
    for (const tx of await Promise.all(sends)) await tx.wait();
  } finally {
    provider.destroy();
  }
}
