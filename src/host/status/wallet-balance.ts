/**
 * `wallet balance`: what the host address holds (ETH, FAB, USDC, decimals read from the tokens), the stake the
 * registry wants, and what is missing to register and keep paying gas.
 */
import type { HostContext } from "../../context.ts";
import { openHost } from "../operation/connect.ts";
import { readRegistration } from "../registration/registration.ts";
import { formatAmount, readBalances, RECOMMENDED_GAS_WEI } from "../registration/requirements.ts";

export interface AmountView {
  /** Base units. */
  amount: bigint;
  decimals: number;
  /** Exact decimal text, e.g. "1000" or "0.015". */
  formatted: string;
  symbol: string;
}

export interface Missing {
  token: "ETH" | "FAB";
  amount: AmountView;
  reason: string;
}

export interface WalletBalance {
  address: string;
  network: string;
  chainId: number;
  eth: AmountView;
  fab: AmountView;
  usdc: AmountView;
  minStake: AmountView;
  registered: boolean;
  stake: AmountView;
  missing: Missing[];
  /** True when nothing is missing. */
  ready: boolean;
}

const view = (amount: bigint, decimals: number, symbol: string): AmountView => ({ amount, decimals, formatted: formatAmount(amount, decimals), symbol });

export async function walletBalance(context: HostContext): Promise<WalletBalance> {
  const session = await openHost(context);
  try {
    const { chain, address } = session;
    const [balances, registration] = await Promise.all([readBalances(chain, address), readRegistration(chain, address)]);
    const fab = (amount: bigint) => view(amount, balances.fab.decimals, balances.fab.symbol);
    const missing: Missing[] = [];
    if (!registration.registered && balances.fab.amount < balances.minStake) {
      missing.push({
        token: "FAB",
        amount: fab(balances.minStake - balances.fab.amount),
        reason: `the stake of ${formatAmount(balances.minStake, balances.fab.decimals)} FAB that registering transfers`,
      });
    }
    if (balances.eth < RECOMMENDED_GAS_WEI) {
      missing.push({
        token: "ETH",
        amount: view(RECOMMENDED_GAS_WEI - balances.eth, 18, "ETH"),
        reason: `gas: ${formatAmount(RECOMMENDED_GAS_WEI, 18)} ETH is recommended for registering, proofs and withdrawals`,
      });
    }
    return {
      address,
      network: chain.network.label,
      chainId: chain.network.chainId,
      eth: view(balances.eth, 18, "ETH"),
      fab: fab(balances.fab.amount),
      usdc: view(balances.usdc.amount, balances.usdc.decimals, balances.usdc.symbol),
      minStake: fab(balances.minStake),
      registered: registration.registered,
      stake: fab(registration.stake),
      missing,
      ready: missing.length === 0,
    };
  } finally {
    session.close();
  }
}
