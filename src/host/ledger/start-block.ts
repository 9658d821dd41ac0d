/**
 * Where a first ledger scan starts: the block that deployed the marketplace (nothing of a host's history is older).
 * Found by searching for the first block at which the contract has code, sixteen probes per round trip, so a chain of
 * tens of millions of blocks costs about six. An endpoint without historical state cannot answer; the scan then covers
 * a recent window and says so in the log.
 */
import { toQuantity } from "ethers";
import type { Logger } from "../../ops/logging/logger-types.ts";
import type { RpcSend } from "./log-query.ts";

/** About 30 days of Base blocks (2 s each). */
export const FALLBACK_LOOKBACK_BLOCKS = 1_300_000;
const PROBES_PER_ROUND = 16;

export async function findDeploymentBlock(rpc: RpcSend, contract: string, latest: number, logger?: Logger): Promise<number> {
  const hasCode = async (block: number) => {
    const code = String(await rpc.send("eth_getCode", [contract, toQuantity(block)]));
    return code !== "0x" && code !== "";
  };
  try {
    // Invariant: no code at lo - 1 (or lo = 0), code at hi.
    let lo = 0;
    let hi = latest;
    if (!(await hasCode(hi))) return latest; // not deployed (yet): nothing to scan
    while (lo < hi) {
      const step = Math.max(1, Math.ceil((hi - lo) / (PROBES_PER_ROUND + 1)));
      const probes: number[] = [];
      for (let at = lo + step - 1; at < hi && probes.length < PROBES_PER_ROUND; at += step) probes.push(at);
      if (probes.length === 0) break;
      const answers = await Promise.all(probes.map(hasCode));
      const firstWithCode = answers.indexOf(true);
      if (firstWithCode === -1) lo = probes[probes.length - 1]! + 1;
      else {
        hi = probes[firstWithCode]!;
        if (firstWithCode > 0) lo = probes[firstWithCode - 1]! + 1;
      }
    }
    return hi;
  } catch (error) {
    const start = Math.max(0, latest - FALLBACK_LOOKBACK_BLOCKS);
    logger?.warn("cannot find the marketplace's deployment block (no historical state on this RPC); the earnings ledger starts at a recent block", {
      start,
      error: (error as Error).message,
    });
    return start;
  }
}
