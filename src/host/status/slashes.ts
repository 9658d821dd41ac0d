/**
 * Slashing of this host: `SlashExecuted` (stake taken) and `HostAutoUnregistered` (stake fell below the floor; the
 * host was removed and the rest returned), both indexing the host. One eth_getLogs from the last block `status` saw
 * (minus a few, for reorgs) to the head; the records are kept in the status cache, so an old slash keeps showing.
 */
import { toQuantity } from "ethers";
import type { RawLog, RpcSend } from "../ledger/log-query.ts";
import { addressTopic, toRawLog } from "../ledger/log-query.ts";
import { amountOf } from "../ledger/amounts.ts";
import { NODE_REGISTRY_ABI } from "../../chain/abi/index.ts";
import { eventTopic, parseEventLog } from "../../chain/abi/interfaces.ts";
import type { SlashRecord } from "./types.ts";

const SLASH_EVENTS = ["SlashExecuted", "HostAutoUnregistered"] as const;

export interface SlashLogs {
  /** First block the query covered. */
  from: number;
  logs: RawLog[];
}

export function slashQuery(rpc: RpcSend, registry: string, host: string, from: number): Promise<SlashLogs> {
  const filter = {
    address: registry,
    topics: [SLASH_EVENTS.map((name) => eventTopic(NODE_REGISTRY_ABI, name)), addressTopic(host)],
    fromBlock: toQuantity(from),
    toBlock: "latest",
  };
  return rpc.send("eth_getLogs", [filter]).then((raw: Array<Record<string, unknown>>) => ({ from, logs: raw.map(toRawLog) }));
}

export function decodeSlashes(logs: RawLog[]): SlashRecord[] {
  return logs.map((log) => {
    const parsed = parseEventLog(NODE_REGISTRY_ABI, SLASH_EVENTS, log)!;
    const slashed = parsed.name === "SlashExecuted";
    return {
      kind: slashed ? "slashed" : "auto-unregistered",
      block: log.blockNumber,
      tx: log.transactionHash,
      amount: amountOf("fab", BigInt(parsed.args.getValue(slashed ? "amount" : "slashedAmount"))),
      remaining: amountOf("fab", BigInt(parsed.args.getValue(slashed ? "remainingStake" : "returnedAmount"))),
      reason: String(parsed.args.getValue("reason")),
    };
  });
}

/** Cached records plus new ones; records from re-read blocks replace the cached copies (a reorg may have moved them). */
export function mergeSlashes(cached: SlashRecord[], fresh: SlashLogs): SlashRecord[] {
  const kept = cached.filter((s) => s.block < fresh.from);
  const merged = [...kept, ...decodeSlashes(fresh.logs)];
  return merged.sort((a, b) => a.block - b.block);
}
