/** The sweep's amounts: USDC whole; ETH whole unless the host wallet would be left without gas for its proofs. */
import { describe, expect, test } from "bun:test";
import { toQuantity } from "ethers";
import { DEFAULT_PROOF_GAS } from "../../../../src/economics/gas-estimates.ts";
import { planSweep } from "../../../../src/host/withdraw/sweep.ts";
import type { ExecuteDeps } from "../../../../src/host/withdraw/execute.ts";

const COLD = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const GWEI = 10n ** 9n;

/** Base fee 1 gwei, tip 0: the sweep prices gas at 2 gwei. Keeping 50 proofs × 200,000 gas = 0.02 ETH, transfer 42,000 gwei. */
function deps(balance: bigint): ExecuteDeps {
  const provider = {
    getBalance: async () => balance,
    estimateGas: async () => 21_000n,
    send: async (method: string) => (method === "eth_getBlockByNumber" ? { baseFeePerGas: toQuantity(GWEI) } : "0x0"),
  };
  return {
    chain: { provider, network: { contracts: { usdcToken: USDC } } } as unknown as ExecuteDeps["chain"],
    address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    stateDir: "/nonexistent",
    sender: async () => Promise.reject(new Error("not used")),
    now: () => 0,
    keepProofs: 50,
  };
}

const reserve = 50n * DEFAULT_PROOF_GAS * 2n * GWEI + 21_000n * 2n * GWEI;

describe("planSweep", () => {
  test("USDC: a transfer of exactly what was withdrawn", async () => {
    const step = await planSweep(deps(0n), "usdc", 45_000n, COLD);
    expect(step).toMatchObject({ amount: "45000", skipped: null, hash: null, call: { to: USDC, value: "0" } });
    expect(step.call!.data.startsWith("0xa9059cbb")).toBe(true); // transfer(address,uint256)
  });

  test("ETH, plenty of gas left: all of it", async () => {
    const step = await planSweep(deps(10n ** 18n), "eth", 10n ** 17n, COLD);
    expect(step).toMatchObject({ amount: (10n ** 17n).toString(), call: { to: COLD, data: "0x", value: (10n ** 17n).toString() } });
  });

  test("ETH, little gas: only what is above the reserve, and the description says what was kept", async () => {
    const step = await planSweep(deps(reserve + 1000n), "eth", 5000n, COLD);
    expect(step.amount).toBe("1000");
    expect(step.call!.description).toContain("kept for gas");
  });

  test("ETH, not even the reserve: nothing is sent, and the reason is recorded", async () => {
    const step = await planSweep(deps(reserve - 1n), "eth", 5000n, COLD);
    expect(step).toMatchObject({ amount: "0", call: null, hash: null });
    expect(step.skipped).toContain("kept in the host wallet");
    expect(step.skipped).toContain("(50 proofs)");
  });
});
