/**
 * What a proof and a settlement cost now: gas from the medians of the host's own transactions in the gas ledger
 * (estimates measured on the devnet when it has none), times the latest base fee plus the suggested priority fee, plus
 * the median L1 data fee; the marketplace's treasury fee; and the proof intervals recent sessions of this host used.
 */
import { JOB_MARKETPLACE_ABI } from "../chain/abi/index.ts";
import { decodeResult, encodeCall } from "../chain/abi/interfaces.ts";
import type { RpcSend } from "../host/ledger/log-query.ts";
import type { LedgerFile } from "../host/ledger/types.ts";
import { SDK_DEFAULT_PROOF_INTERVAL } from "./billing.ts";
import type { CostBasis, GasFigure } from "./break-even.ts";
import type { GasEntry, GasKind, GasLedgerFile } from "./gas-types.ts";
import { GAS_ESTIMATES } from "./gas-estimates.ts";

/** How many of the newest sessions are read for their proof interval. */
export const RECENT_SESSIONS = 20;

export function gasFigure(entries: GasEntry[], kinds: GasKind[], estimate: bigint): GasFigure {
  const mined = entries.filter((e) => kinds.includes(e.kind) && e.status === 1);
  if (mined.length === 0) return { gas: estimate.toString(), source: "estimate", samples: 0, l1FeeWei: "0" };
  return {
    gas: median(mined.map((e) => BigInt(e.gasUsed))).toString(),
    source: "ledger",
    samples: mined.length,
    l1FeeWei: median(mined.map((e) => BigInt(e.l1Fee))).toString(),
  };
}

export function median(values: bigint[]): bigint {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2n;
}

export interface CostBasisDeps {
  rpc: RpcSend;
  jobMarketplace: string;
  gas: Pick<GasLedgerFile, "entries"> | null;
  /** The earnings ledger cache, for the newest sessions' ids; null when there is none yet. */
  ledger: Pick<LedgerFile, "sessions"> | null;
}

export async function readCostBasis(deps: CostBasisDeps): Promise<CostBasis> {
  const entries = Object.values(deps.gas?.entries ?? {});
  const recent = Object.keys(deps.ledger?.sessions ?? {})
    .sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1))
    .slice(0, RECENT_SESSIONS);
  const call = (data: string) => deps.rpc.send("eth_call", [{ to: deps.jobMarketplace, data }, "latest"]) as Promise<string>;
  const [block, tip, feeRaw, jobs] = await Promise.all([
    deps.rpc.send("eth_getBlockByNumber", ["latest", false]) as Promise<{ baseFeePerGas?: string }>,
    (deps.rpc.send("eth_maxPriorityFeePerGas", []) as Promise<string>).catch(() => "0x0"),
    call(encodeCall(JOB_MARKETPLACE_ABI, "feeBasisPoints", [])),
    Promise.all(recent.map((id) => call(encodeCall(JOB_MARKETPLACE_ABI, "sessionJobs", [id])))),
  ]);
  const baseFee = BigInt(block?.baseFeePerGas ?? "0x0");
  const gasPrice = baseFee + BigInt(tip);
  const intervals = jobs.map((raw) => Number(decodeResult(JOB_MARKETPLACE_ABI, "sessionJobs", raw).getValue("proofInterval"))).filter((n) => n > 0);
  const costOf = (figure: GasFigure) => ({ ...figure, costWei: (BigInt(figure.gas) * gasPrice + BigInt(figure.l1FeeWei)).toString() });
  return {
    gasPriceWei: gasPrice.toString(),
    baseFeeWei: baseFee.toString(),
    feeBasisPoints: Number(decodeResult(JOB_MARKETPLACE_ABI, "feeBasisPoints", feeRaw)[0]),
    proof: costOf(gasFigure(entries, ["proof"], GAS_ESTIMATES.proof)),
    settlement: costOf(gasFigure(entries, ["settlement", "timeout"], GAS_ESTIMATES.settlement)),
    intervals: { sdkDefault: SDK_DEFAULT_PROOF_INTERVAL, smallestSeen: intervals.length > 0 ? Math.min(...intervals) : null, sessionsLooked: intervals.length },
  };
}
