/**
 * What `withdraw` was asked to do, checked before anything touches the chain: which tokens, how much, and where to
 * sweep the proceeds. A cold address must be given in its checksummed (mixed-case) form: a typo in an all-lowercase
 * address cannot be caught, and funds sent there are gone.
 */
import { getAddress, isAddress, ZeroAddress } from "ethers";
import { HostError } from "../../errors/host-error.ts";
import { HostLedgerErrors } from "../../errors/codes/host-ledger.ts";
import { AmountFormatError, parseAmount, type PaymentToken } from "../ledger/amounts.ts";

export interface WithdrawRequest {
  tokens: PaymentToken[];
  /** Base units of the one token, or null for everything. */
  amount: bigint | null;
  /** Checksummed cold address to sweep the withdrawn amount to, or null to keep it in the host wallet. */
  to: string | null;
}

export interface WithdrawFlags {
  token?: string;
  amount?: string;
  to?: string;
}

export function parseWithdrawRequest(flags: WithdrawFlags, hostAddress?: string): WithdrawRequest {
  const token = (flags.token ?? "all").toLowerCase();
  if (token !== "eth" && token !== "usdc" && token !== "all") {
    throw new HostError(HostLedgerErrors.WITHDRAW_OPTIONS, `--token ${flags.token}: expected eth, usdc or all.`);
  }
  const tokens: PaymentToken[] = token === "all" ? ["eth", "usdc"] : [token];
  let amount: bigint | null = null;
  if (flags.amount !== undefined) {
    if (token === "all") {
      throw new HostError(HostLedgerErrors.WITHDRAW_OPTIONS, "--amount needs one token: add --token eth or --token usdc.");
    }
    try {
      amount = parseAmount(token as PaymentToken, flags.amount);
    } catch (error) {
      if (!(error instanceof AmountFormatError)) throw error;
      throw new HostError(HostLedgerErrors.WITHDRAW_AMOUNT_INVALID, `--amount: ${error.message}.`);
    }
  }
  return { tokens, amount, to: flags.to === undefined ? null : checkColdAddress(flags.to, hostAddress) };
}

/** The address exactly as given, if it is a valid EIP-55 checksummed address other than 0x0 and the host itself. */
export function checkColdAddress(text: string, hostAddress?: string): string {
  const value = text.trim();
  const refuse = (why: string, hint?: string) => new HostError(HostLedgerErrors.WITHDRAW_ADDRESS_INVALID, `--to ${value}: ${why}`, hint ? { hint } : {});
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw refuse("not an address (0x followed by 40 hex digits).");
  const hexLetters = value.slice(2).replace(/[0-9]/g, "");
  if (hexLetters !== "" && (hexLetters === hexLetters.toLowerCase() || hexLetters === hexLetters.toUpperCase()) && getAddress(value) !== value) {
    // Not computing the checksummed form for the user: that would bless whatever typo the address has.
    throw refuse(
      "has no checksum (it is all lower or upper case), so a typo in it could not be caught. Nothing was sent.",
      "Try: copy the address from your wallet in its mixed-case (checksummed) form",
    );
  }
  if (!isAddress(value) || getAddress(value) !== value) {
    throw refuse("its checksum is wrong (the mixed case does not match): probably a typo. Nothing was sent.", "Try: copy the address from your wallet again");
  }
  if (value === ZeroAddress) throw refuse("the zero address burns what is sent to it.");
  if (hostAddress && value.toLowerCase() === hostAddress.toLowerCase())
    throw refuse("that is the host address itself; leave out --to to keep the funds in the host wallet.");
  return value;
}
