/**
 * `--to`: the withdrawn amount moves on to a cold address. USDC goes whole (an ERC-20 transfer; gas is paid in ETH).
 * ETH goes whole too, unless that would leave the host wallet short of gas: the wallet keeps what `keepProofs` more
 * proofs cost at current fees plus the transfer itself, and only the rest is sent (possibly nothing, said plainly).
 */
import { readMarketFees } from "../../chain/tx/fees.ts";
import { DEFAULT_PROOF_GAS } from "../../economics/gas-estimates.ts";
import { formatAmount, type PaymentToken } from "../ledger/amounts.ts";
import { ERC20_ABI } from "../../chain/abi/index.ts";
import { encodeCall } from "../../chain/abi/interfaces.ts";
import type { ChainClient } from "../../chain/client.ts";
import type { SweepStep } from "./records.ts";

/** What a sweep reads: the wallet's balance and current fees (a narrow slice of the withdrawal's dependencies). */
export interface SweepDeps {
  chain: Pick<ChainClient, "provider" | "network">;
  address: string;
  keepProofs: number;
}

export async function planSweep(deps: SweepDeps, token: PaymentToken, withdrawn: bigint, to: string): Promise<SweepStep> {
  const { provider, network } = deps.chain;
  if (token === "usdc") {
    const data = encodeCall(ERC20_ABI, "transfer", [to, withdrawn]);
    return {
      amount: withdrawn.toString(),
      call: { to: network.contracts.usdcToken, data, value: "0", description: `send ${formatAmount("usdc", withdrawn)} to ${to}` },
      skipped: null,
      hash: null,
    };
  }
  const [balance, fees, transferGas] = await Promise.all([
    provider.getBalance(deps.address),
    readMarketFees(provider),
    provider.estimateGas({ from: deps.address, to, value: 1n }).catch(() => 21_000n),
  ]);
  // Priced at twice the base fee, as the sender offers, so the reserve holds while fees rise a little.
  const perGas = fees.baseFee * 2n + fees.priorityFee;
  const reserve = DEFAULT_PROOF_GAS * BigInt(Math.max(0, deps.keepProofs)) * perGas + transferGas * perGas;
  const spendable = balance - reserve;
  const amount = withdrawn < spendable ? withdrawn : spendable;
  if (amount <= 0n) {
    return {
      amount: "0",
      call: null,
      skipped: `kept in the host wallet: it holds ${formatAmount("eth", balance)} and keeps ${formatAmount("eth", reserve)} for gas (${deps.keepProofs} proofs)`,
      hash: null,
    };
  }
  const note = amount < withdrawn ? ` (${formatAmount("eth", withdrawn - amount)} kept for gas)` : "";
  return {
    amount: amount.toString(),
    call: { to, data: "0x", value: amount.toString(), description: `send ${formatAmount("eth", amount)} to ${to}${note}` },
    skipped: null,
    hash: null,
  };
}
