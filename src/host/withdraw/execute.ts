/**
 * Carries out a prepared withdrawal, recording each step before and after it happens (records.ts):
 *   1. the withdrawal (key `withdraw:<id>`); what left HostEarnings is read from its EarningsWithdrawn events;
 *   2. with --to, one sweep per withdrawn token (`sweep:<id>:<token>`): USDC by an ERC-20 transfer of exactly what
 *      was withdrawn; ETH likewise, except that the host wallet keeps enough ETH for gas (sweep.ts);
 *   3. a line in withdrawals.jsonl, and the plan is removed.
 * Re-running after a crash at any point repeats the same keys: the chain layer reuses a mined transaction, resumes
 * one in flight, and never sends a second.
 */
import type { ChainClient } from "../../chain/client.ts";
import type { TxResult, TxSender } from "../../chain/index.ts";
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostLedgerErrors } from "../../errors/codes/host-ledger.ts";
import { HostError } from "../../errors/host-error.ts";
import { amountOf, paymentTokenOf, type PaymentToken, type TokenAmount } from "../ledger/amounts.ts";
import { HOST_EARNINGS_ABI } from "../../chain/abi/index.ts";
import { abiInterface } from "../../chain/abi/interfaces.ts";
import type { PreparedWithdrawal } from "./prepare.ts";
import {
  appendHistory,
  clearPending,
  historyPath,
  readHistory,
  savePending,
  type PendingWithdrawal,
  type PlannedCall,
  type WithdrawalHistoryEntry,
} from "./records.ts";
import { planSweep } from "./sweep.ts";

export interface ExecuteDeps {
  chain: Pick<ChainClient, "provider" | "network">;
  address: string;
  stateDir: string;
  sender: () => Promise<TxSender>;
  now: () => number;
  /** ETH the wallet keeps for gas when sweeping ETH: this many proofs at current fees (alerts.minEthProofs). */
  keepProofs: number;
}

export interface WithdrawResult {
  address: string;
  resumed: boolean;
  tx: { hash: string; block: number; fee: TokenAmount; reused: boolean };
  withdrawn: Partial<Record<PaymentToken, TokenAmount>>;
  sweeps: WithdrawalHistoryEntry["sweeps"];
  historyFile: string;
}

export async function executeWithdrawal(deps: ExecuteDeps, prepared: PreparedWithdrawal): Promise<WithdrawResult> {
  const record = prepared.record;
  const save = () => savePending(deps.stateDir, record);
  if (!prepared.preview.resumed) {
    save();
  }
  const sender = await deps.sender();

  let reused = true;
  if (!record.receipt) {
    const result = await submitOrAbandon(deps, sender, record, `withdraw:${record.id}`, record.call, prepared.preview.resumed);
    reused = result.reused;
    record.receipt = {
      hash: result.hash,
      block: result.blockNumber,
      gasUsed: result.gasUsed.toString(),
      effectiveGasPrice: result.effectiveGasPrice.toString(),
    };
    record.withdrawn = await withdrawnBy(deps, result.hash);
    save();
  }

  if (record.to) {
    for (const token of ["usdc", "eth"] as const) {
      const amount = BigInt(record.withdrawn?.[token] ?? "0");
      if (amount === 0n) continue;
      // The amount is fixed (and recorded) once, so a re-run sends exactly the same transfer.
      record.sweeps[token] ??= await planSweep(deps, token, amount, record.to);
      save();
      const step = record.sweeps[token]!;
      if (step.call && !step.hash) {
        const result = await sender.submit({
          key: `sweep:${record.id}:${token}`,
          to: step.call.to,
          data: step.call.data,
          value: BigInt(step.call.value),
          description: step.call.description,
        });
        step.hash = result.hash;
        save();
      }
    }
  }

  const entry = historyEntry(record, deps.now());
  if (!readHistory(deps.stateDir).some((line) => line.id === record.id)) appendHistory(deps.stateDir, entry);
  clearPending(deps.stateDir, record);
  return {
    address: deps.address,
    resumed: prepared.preview.resumed,
    tx: { hash: entry.tx, block: entry.block, fee: entry.fee, reused },
    withdrawn: entry.withdrawn,
    sweeps: entry.sweeps,
    historyFile: historyPath(deps.stateDir),
  };
}

/** A withdrawal that would now revert was never mined (a failed intent never is): drop its plan and say so. */
async function submitOrAbandon(
  deps: ExecuteDeps,
  sender: TxSender,
  record: PendingWithdrawal,
  key: string,
  call: PlannedCall,
  resumed: boolean,
): Promise<TxResult> {
  try {
    return await sender.submit({ key, to: call.to, data: call.data, value: BigInt(call.value), description: call.description });
  } catch (error) {
    if (error instanceof HostError && error.code === ChainErrors.TX_WOULD_REVERT.code) {
      clearPending(deps.stateDir, record);
      if (resumed) {
        throw new HostError(
          HostLedgerErrors.WITHDRAWAL_ABANDONED,
          `The withdrawal started at ${new Date(record.createdAt).toISOString()} can no longer happen (${error.message}); it was set aside, and nothing was sent.`,
          { cause: error },
        );
      }
    }
    throw error;
  }
}

/** What the receipt's EarningsWithdrawn events (for this host) say left HostEarnings, per payment token. */
async function withdrawnBy(deps: ExecuteDeps, hash: string): Promise<Partial<Record<PaymentToken, string>>> {
  const receipt = await deps.chain.provider.getTransactionReceipt(hash);
  const out: Partial<Record<PaymentToken, string>> = {};
  const earnings = deps.chain.network.contracts.hostEarnings.toLowerCase();
  for (const log of receipt?.logs ?? []) {
    if (log.address.toLowerCase() !== earnings) continue;
    const parsed = abiInterface(HOST_EARNINGS_ABI).parseLog(log);
    if (parsed?.name !== "EarningsWithdrawn" || String(parsed.args.getValue("host")).toLowerCase() !== deps.address.toLowerCase()) continue;
    const token = paymentTokenOf(String(parsed.args.getValue("token")), deps.chain.network.contracts.usdcToken);
    if (token) out[token] = (BigInt(out[token] ?? "0") + BigInt(parsed.args.getValue("amount"))).toString();
  }
  return out;
}

function historyEntry(record: PendingWithdrawal, now: number): WithdrawalHistoryEntry {
  const receipt = record.receipt!;
  const withdrawn: WithdrawalHistoryEntry["withdrawn"] = {};
  for (const [token, raw] of Object.entries(record.withdrawn ?? {}) as [PaymentToken, string][]) withdrawn[token] = amountOf(token, BigInt(raw));
  const sweeps = (Object.entries(record.sweeps) as [PaymentToken, NonNullable<PendingWithdrawal["sweeps"][PaymentToken]>][]).map(([token, step]) => ({
    token,
    to: record.to!,
    amount: amountOf(token, BigInt(step.amount)),
    tx: step.hash,
    skipped: step.skipped,
  }));
  return {
    at: new Date(now).toISOString(),
    id: record.id,
    chainId: record.chainId,
    address: record.host,
    tx: receipt.hash,
    block: receipt.block,
    fee: amountOf("eth", BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice)),
    withdrawn,
    sweeps,
  };
}
