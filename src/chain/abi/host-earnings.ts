/** HostEarnings: the host's credited balances per token (0x0 = ETH) and withdrawals. */
import { LIVE_ERRORS } from "./errors.ts";

export const HOST_EARNINGS_ABI = [
  "function getBalance(address host, address token) view returns (uint256)",
  "function getBalances(address host, address[] tokens) view returns (uint256[] balances)",
  "function withdraw(uint256 amount, address token)",
  "function withdrawAll(address token)",
  "function withdrawMultiple(address[] tokens)",
  "function totalAccumulated(address token) view returns (uint256)",
  "event EarningsCredited(address indexed host, address indexed token, uint256 amount, uint256 newBalance)",
  "event EarningsWithdrawn(address indexed host, address indexed token, uint256 amount, uint256 remainingBalance)",
  ...LIVE_ERRORS,
] as const;
