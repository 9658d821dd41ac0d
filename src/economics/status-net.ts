/**
 * `status`'s net line, from what is already on disk (the earnings ledger cache and the gas ledger, brought up to date by
 * `earnings` and by the running host): gross credited per token, gas spent, net ETH. No RPC call, so `status` keeps
 * its round-trip budget; null before either ledger exists.
 */
import { ZeroAddress } from "ethers";
import { amountOf, type TokenAmount } from "../host/ledger/amounts.ts";
import { loadLedger, type LedgerIdentity } from "../host/ledger/store.ts";
import { loadGasLedger } from "./gas-store.ts";

export interface StatusNet {
  credited: { eth: TokenAmount; usdc: TokenAmount };
  gas: TokenAmount;
  transactions: number;
  /** ETH credited − all gas; USDC is never added in. */
  netEth: TokenAmount;
  /** The ledgers' last scanned block: how current these figures are. */
  asOfBlock: number;
}

export function cachedNet(stateDir: string, identity: LedgerIdentity, usdcAddress: string): StatusNet | null {
  const ledger = loadLedger(stateDir, identity);
  const gas = loadGasLedger(stateDir, identity.chainId, identity.host);
  if (!ledger || !gas) return null;
  const credited = (token: string) =>
    ledger.events.reduce((sum, e) => (e.kind === "credited" && e.token.toLowerCase() === token.toLowerCase() ? sum + BigInt(e.amount) : sum), 0n);
  const spent = Object.values(gas.entries).reduce((sum, e) => sum + BigInt(e.feeWei), 0n);
  const eth = credited(ZeroAddress);
  return {
    credited: { eth: amountOf("eth", eth), usdc: amountOf("usdc", credited(usdcAddress)) },
    gas: amountOf("eth", spent),
    transactions: Object.keys(gas.entries).length,
    netEth: amountOf("eth", eth - spent),
    asOfBlock: ledger.scannedTo,
  };
}
