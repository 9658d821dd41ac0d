/**
 * Before asking: what HostEarnings holds per token, which call takes what was asked (withdrawAll for one token,
 * withdrawMultiple for both, withdraw(amount, token) for a part), and what its gas costs now. An unfinished earlier
 * withdrawal comes first: it is shown and finished instead of planning a new one.
 */
import { randomBytes } from "node:crypto";
import { ZeroAddress } from "ethers";
import type { ChainClient } from "../../chain/client.ts";
import { readMarketFees } from "../../chain/tx/fees.ts";
import { revertFromError } from "../../chain/tx/revert.ts";
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostLedgerErrors } from "../../errors/codes/host-ledger.ts";
import { HostError, isHostError } from "../../errors/host-error.ts";
import { amountOf, formatAmount, paymentTokenAddress, TOKEN_SYMBOL, type PaymentToken, type TokenAmount } from "../ledger/amounts.ts";
import { HOST_EARNINGS_ABI } from "../../chain/abi/index.ts";
import { abiInterface, decodeResult, encodeCall } from "../../chain/abi/interfaces.ts";
import { loadPending, type PendingWithdrawal } from "./records.ts";
import type { WithdrawRequest } from "./request.ts";

export interface WithdrawPreview {
  address: string;
  network: string;
  /** True when this run finishes a withdrawal an earlier run started (and was confirmed then). */
  resumed: boolean;
  startedAt: string | null;
  available: Record<PaymentToken, TokenAmount>;
  withdraw: Array<{ token: PaymentToken; amount: TokenAmount; all: boolean }>;
  method: "withdrawAll" | "withdrawMultiple" | "withdraw";
  /** Gas of the withdrawal (and of the sweeps, with --to) at current fees; null when resuming. */
  gas: { limit: string; cost: TokenAmount; sweepCost: TokenAmount | null } | null;
  wallet: { eth: TokenAmount };
  to: string | null;
}

export interface PreparedWithdrawal {
  preview: WithdrawPreview;
  record: PendingWithdrawal;
}

export interface PrepareDeps {
  chain: Pick<ChainClient, "provider" | "network">;
  address: string;
  stateDir: string;
  now: () => number;
}

/** Gas of the sweeps, for the estimate shown before asking (a plain ETH transfer, an ERC-20 transfer). */
export const SWEEP_GAS: Record<PaymentToken, bigint> = { eth: 21_000n, usdc: 65_000n };

export async function prepareWithdrawal(deps: PrepareDeps, request: WithdrawRequest): Promise<PreparedWithdrawal> {
  const { provider, network } = deps.chain;
  const usdc = network.contracts.usdcToken;
  const earningsCall = encodeCall(HOST_EARNINGS_ABI, "getBalances", [deps.address, [ZeroAddress, usdc]]);
  const [rawBalances, walletEth, fees] = await Promise.all([
    provider.send("eth_call", [{ to: network.contracts.hostEarnings, data: earningsCall }, "latest"]) as Promise<string>,
    provider.getBalance(deps.address),
    readMarketFees(provider),
  ]);
  const [ethEarned, usdcEarned] = decodeResult(HOST_EARNINGS_ABI, "getBalances", rawBalances)[0] as bigint[];
  const available = { eth: amountOf("eth", BigInt(ethEarned ?? 0n)), usdc: amountOf("usdc", BigInt(usdcEarned ?? 0n)) };
  const base = { address: deps.address, network: network.label, available, wallet: { eth: amountOf("eth", walletEth) } };

  const pending = loadPending(deps.stateDir, network.chainId, deps.address);
  if (pending) {
    const withdraw = pending.tokens.map((token) => ({ token, amount: amountOf(token, BigInt(pending.withdrawn?.[token] ?? available[token].raw)), all: true }));
    const method = abiInterface(HOST_EARNINGS_ABI).parseTransaction({ data: pending.call.data })?.name as WithdrawPreview["method"];
    return {
      preview: { ...base, resumed: true, startedAt: new Date(pending.createdAt).toISOString(), withdraw, method, gas: null, to: pending.to },
      record: pending,
    };
  }

  const balanceOf = (token: PaymentToken) => BigInt(available[token].raw);
  const withdraw = request.tokens
    .filter((token) => balanceOf(token) > 0n)
    .map((token) => ({ token, amount: amountOf(token, request.amount ?? balanceOf(token)), all: request.amount === null }));
  if (withdraw.length === 0) {
    const what = request.tokens.map((t) => TOKEN_SYMBOL[t]).join(" or ");
    throw new HostError(HostLedgerErrors.NOTHING_TO_WITHDRAW, `HostEarnings holds no ${what} for ${deps.address}: nothing to withdraw, and nothing was sent.`);
  }
  if (request.amount !== null && request.amount > balanceOf(withdraw[0]!.token)) {
    const token = withdraw[0]!.token;
    throw new HostError(
      HostLedgerErrors.WITHDRAW_AMOUNT_INVALID,
      `--amount ${formatAmount(token, request.amount)} is more than the ${formatAmount(token, balanceOf(token))} HostEarnings holds.`,
    );
  }
  const { method, data, description } = withdrawalCall(withdraw, usdc, request.amount);
  const call = { to: network.contracts.hostEarnings, data, value: "0", description };

  let limit: bigint;
  try {
    limit = await provider.estimateGas({ from: deps.address, to: call.to, data });
  } catch (error) {
    if (isHostError(error)) throw error;
    const revert = revertFromError(error, []);
    throw new HostError(ChainErrors.TX_WOULD_REVERT, `The withdrawal would fail: ${revert?.message ?? (error as Error).message}. Nothing was sent.`, {
      cause: error,
    });
  }
  const perGas = fees.baseFee + fees.priorityFee;
  const sweepGas = request.to ? withdraw.reduce((sum, w) => sum + SWEEP_GAS[w.token], 0n) : null;
  const record: PendingWithdrawal = {
    version: 1,
    id: `${deps.now().toString(36)}-${randomBytes(4).toString("hex")}`,
    chainId: network.chainId,
    host: deps.address,
    createdAt: deps.now(),
    tokens: withdraw.map((w) => w.token),
    call,
    to: request.to,
    withdrawn: null,
    receipt: null,
    sweeps: {},
  };
  const gas = { limit: limit.toString(), cost: amountOf("eth", limit * perGas), sweepCost: sweepGas === null ? null : amountOf("eth", sweepGas * perGas) };
  return { preview: { ...base, resumed: false, startedAt: null, withdraw, method, gas, to: request.to }, record };
}

function withdrawalCall(withdraw: WithdrawPreview["withdraw"], usdc: string, amount: bigint | null) {
  const symbols = withdraw.map((w) => TOKEN_SYMBOL[w.token]).join(" and ");
  if (amount !== null) {
    const token = withdraw[0]!.token;
    const data = encodeCall(HOST_EARNINGS_ABI, "withdraw", [amount, paymentTokenAddress(token, usdc)]);
    return { method: "withdraw" as const, data, description: `withdraw ${formatAmount(token, amount)} from HostEarnings` };
  }
  if (withdraw.length === 1) {
    const data = encodeCall(HOST_EARNINGS_ABI, "withdrawAll", [paymentTokenAddress(withdraw[0]!.token, usdc)]);
    return { method: "withdrawAll" as const, data, description: `withdraw all ${symbols} from HostEarnings` };
  }
  const data = encodeCall(HOST_EARNINGS_ABI, "withdrawMultiple", [withdraw.map((w) => paymentTokenAddress(w.token, usdc))]);
  return { method: "withdrawMultiple" as const, data, description: `withdraw all ${symbols} from HostEarnings` };
}
