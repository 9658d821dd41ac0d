/**
 * Token amounts between the chain (base units, bigint) and people (ETH with 18 decimals, USDC with 6, FAB with 18).
 * Exact decimal arithmetic on bigints: money never goes through a float.
 */
import { ZeroAddress } from "ethers";

export type TokenKind = "eth" | "usdc" | "fab";
export type PaymentToken = "eth" | "usdc";

export const TOKEN_DECIMALS: Record<TokenKind, number> = { eth: 18, usdc: 6, fab: 18 };
export const TOKEN_SYMBOL: Record<TokenKind, string> = { eth: "ETH", usdc: "USDC", fab: "FAB" };
export const PAYMENT_TOKENS: readonly PaymentToken[] = ["eth", "usdc"];

/** An amount as `--json` prints it: base units as a decimal string (bigints don't survive JSON) and the human value. */
export interface TokenAmount {
  token: TokenKind;
  /** Base units (wei, USDC micro-units), decimal. */
  raw: string;
  /** Whole-token units, exact: "0.0045". */
  value: string;
}

export function amountOf(token: TokenKind, raw: bigint): TokenAmount {
  return { token, raw: raw.toString(), value: formatUnitsExact(raw, TOKEN_DECIMALS[token]) };
}

/** "1", "0.5", "0.0000000000027": no trailing zeros, no exponent. */
export function formatUnitsExact(raw: bigint, decimals: number): string {
  const negative = raw < 0n;
  const abs = negative ? -raw : raw;
  const unit = 10n ** BigInt(decimals);
  const whole = abs / unit;
  const fraction = (abs % unit).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** "12.5 USDC". */
export function formatAmount(token: TokenKind, raw: bigint): string {
  return `${formatUnitsExact(raw, TOKEN_DECIMALS[token])} ${TOKEN_SYMBOL[token]}`;
}

export class AmountFormatError extends Error {}

/** Parses a positive human amount ("0.25", "12") into base units; refuses more decimals than the token has. */
export function parseAmount(token: TokenKind, text: string): bigint {
  const decimals = TOKEN_DECIMALS[token];
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text.trim()) ?? /^()\.(\d+)$/.exec(text.trim());
  if (!match) throw new AmountFormatError(`"${text}" is not an amount; expected a positive decimal number of ${TOKEN_SYMBOL[token]}`);
  const whole = match[1] || "0";
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > decimals) throw new AmountFormatError(`"${text}" has more than ${decimals} decimals, the most ${TOKEN_SYMBOL[token]} has`);
  const raw = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  if (raw <= 0n) throw new AmountFormatError(`"${text}" is not a positive amount`);
  return raw;
}

/** The payment token behind an address: 0x0 is ETH; the network's USDC; anything else is unknown (null). */
export function paymentTokenOf(address: string, usdcAddress: string): PaymentToken | null {
  const lower = address.toLowerCase();
  if (lower === ZeroAddress) return "eth";
  if (lower === usdcAddress.toLowerCase()) return "usdc";
  return null;
}

/** The address the contracts use for a payment token. */
export function paymentTokenAddress(token: PaymentToken, usdcAddress: string): string {
  return token === "eth" ? ZeroAddress : usdcAddress;
}
