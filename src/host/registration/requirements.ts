/**
 * What a host must hold before it sends anything: ETH for gas and, to register, FAB for the stake. Balances and token
 * decimals are read from the chain (never assumed), and a shortfall is reported with the exact amount missing.
 *
 * ETH: 0.015 ETH is the recommendation (registration plus months of proofs); below it we warn, below what the plan's
 * own gas estimate needs we refuse. FAB: registering pulls MIN_STAKE (read from the contract).
 */
import { formatUnits, parseEther } from "ethers";
import type { ChainClient } from "../../chain/index.ts";
import { HostError } from "../../errors/host-error.ts";
import { HostErrors } from "../../errors/codes/host.ts";

export const RECOMMENDED_GAS_WEI = parseEther("0.015");

export interface TokenBalance {
  /** Base units. */
  amount: bigint;
  decimals: number;
  symbol: string;
}

export interface Balances {
  address: string;
  eth: bigint;
  fab: TokenBalance;
  usdc: TokenBalance;
  /** NodeRegistry.MIN_STAKE, FAB base units. */
  minStake: bigint;
  /** FAB the NodeRegistry may pull from the host (allowance). */
  fabAllowance: bigint;
}

export async function readBalances(chain: ChainClient, address: string): Promise<Balances> {
  const { fabToken, usdcToken, nodeRegistry } = chain.contracts;
  const [eth, fab, fabDecimals, fabSymbol, usdc, usdcDecimals, usdcSymbol, minStake, fabAllowance] = await Promise.all([
    chain.provider.getBalance(address),
    fabToken.balanceOf(address),
    fabToken.decimals(),
    fabToken.symbol().catch(() => "FAB"),
    usdcToken.balanceOf(address),
    usdcToken.decimals(),
    usdcToken.symbol().catch(() => "USDC"),
    nodeRegistry.MIN_STAKE(),
    fabToken.allowance(address, chain.network.contracts.nodeRegistry),
  ]);
  return {
    address,
    eth,
    fab: { amount: fab, decimals: Number(fabDecimals), symbol: fabSymbol },
    usdc: { amount: usdc, decimals: Number(usdcDecimals), symbol: usdcSymbol },
    minStake,
    fabAllowance,
  };
}

export interface Shortfall {
  token: "ETH" | "FAB";
  have: bigint;
  need: bigint;
  missing: bigint;
  decimals: number;
  /** One sentence: what is missing, how much, what for. */
  message: string;
}

export interface RequirementReport {
  address: string;
  shortfalls: Shortfall[];
  warnings: string[];
}

export interface Needs {
  /** Estimated gas cost of the planned transactions, in wei. */
  gasWei: bigint;
  /** FAB the plan transfers (MIN_STAKE to register, the amount to add stake), base units. */
  fab: bigint;
  /** What the FAB is for, in the message: "the stake", "the added stake". */
  fabPurpose?: string;
}

export function evaluateRequirements(balances: Balances, needs: Needs): RequirementReport {
  const shortfalls: Shortfall[] = [];
  const warnings: string[] = [];
  if (needs.fab > 0n && balances.fab.amount < needs.fab) {
    const missing = needs.fab - balances.fab.amount;
    const d = balances.fab.decimals;
    shortfalls.push({
      token: "FAB",
      have: balances.fab.amount,
      need: needs.fab,
      missing,
      decimals: d,
      message: `${balances.address} holds ${formatAmount(balances.fab.amount, d)} FAB; ${needs.fabPurpose ?? "the stake"} needs ${formatAmount(needs.fab, d)} FAB: ${formatAmount(missing, d)} FAB missing`,
    });
  }
  if (balances.eth < needs.gasWei) {
    const missing = needs.gasWei - balances.eth;
    shortfalls.push({
      token: "ETH",
      have: balances.eth,
      need: needs.gasWei,
      missing,
      decimals: 18,
      message: `${balances.address} holds ${formatAmount(balances.eth, 18)} ETH; the gas for these transactions is estimated at ${formatAmount(needs.gasWei, 18)} ETH: ${formatAmount(missing, 18)} ETH missing`,
    });
  } else if (balances.eth < RECOMMENDED_GAS_WEI) {
    warnings.push(
      `Only ${formatAmount(balances.eth, 18)} ETH for gas; ${formatAmount(RECOMMENDED_GAS_WEI, 18)} ETH is recommended so proofs and withdrawals keep going.`,
    );
  }
  return { address: balances.address, shortfalls, warnings };
}

/** Throws the first shortfall (FAB before ETH: it is the harder one to fix), naming every one in the details. */
export function assertRequirements(report: RequirementReport): void {
  const first = report.shortfalls[0];
  if (!first) return;
  const code = first.token === "FAB" ? HostErrors.INSUFFICIENT_FAB : HostErrors.INSUFFICIENT_ETH;
  const more =
    report.shortfalls.length > 1
      ? `; also ${report.shortfalls
          .slice(1)
          .map((s) => s.message)
          .join("; ")}`
      : "";
  throw new HostError(code, `${first.message}${more}. Nothing was sent.`, {
    hint: `Try: send ${formatAmount(first.missing, first.decimals)} ${first.token} (or more) to ${report.address}, then run the command again.`,
    details: {
      missing: report.shortfalls.map((s) => ({ token: s.token, have: s.have.toString(), need: s.need.toString(), missing: s.missing.toString() })),
    },
  });
}

/** Exact decimal rendering of base units, without trailing zeros ("1000", "0.015"). */
export function formatAmount(amount: bigint, decimals: number): string {
  const text = formatUnits(amount, decimals);
  return text.endsWith(".0") ? text.slice(0, -2) : text;
}

/** Human amount ("500", "0.25") → base units, exactly; null when it is not a plain positive decimal that fits. */
export function parseAmount(text: string, decimals: number): bigint | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, whole, fraction = ""] = match;
  const trimmed = fraction.replace(/0+$/, "");
  if (trimmed.length > decimals) return null;
  return BigInt(whole!) * 10n ** BigInt(decimals) + BigInt(trimmed.padEnd(decimals, "0") || "0");
}
