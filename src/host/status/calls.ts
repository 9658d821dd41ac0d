/**
 * Raw reads for `status`: each one a single JSON-RPC call made through `send` (the chain client's `rpc`), so that every
 * read issued in the same tick joins one batch (one HTTP request), and a revert fails only its own call.
 */
import { toQuantity, type Result } from "ethers";
import { JOB_MARKETPLACE_ABI, MODEL_REGISTRY_ABI, NODE_REGISTRY_ABI } from "../../chain/abi/index.ts";
import { decodeResult, encodeCall } from "../../chain/abi/interfaces.ts";
import { RpcCallError } from "../../chain/rpc/batch-sender.ts";
import type { RpcSend } from "../ledger/log-query.ts";

export function viewCall(rpc: RpcSend, to: string, abi: readonly string[], fn: string, args: unknown[]): Promise<Result> {
  return rpc.send("eth_call", [{ to, data: encodeCall(abi, fn, args) }, "latest"]).then((hex: string) => decodeResult(abi, fn, hex));
}

export interface BlockHeader {
  number: number;
  hash: string;
  timestamp: number;
}

export function blockHeader(rpc: RpcSend, tag: number | "latest"): Promise<BlockHeader | null> {
  return rpc
    .send("eth_getBlockByNumber", [tag === "latest" ? tag : toQuantity(tag), false])
    .then((raw: Record<string, string> | null) =>
      raw ? { number: Number(BigInt(raw.number!)), hash: raw.hash!, timestamp: Number(BigInt(raw.timestamp!)) } : null,
    );
}

/** The part of sessionJobs(id) status shows. */
export interface SessionJobLite {
  jobId: string;
  host: string;
  /** Who pays: for a session a delegate opened, the payer, not the delegate. */
  depositor: string;
  status: number;
  token: string;
  deposit: bigint;
  tokensUsed: bigint;
  proofInterval: bigint;
  withdrawnByHost: bigint;
  startTime: number;
}

export function readSessionJob(rpc: RpcSend, marketplace: string, jobId: string): Promise<SessionJobLite> {
  return viewCall(rpc, marketplace, JOB_MARKETPLACE_ABI, "sessionJobs", [jobId]).then((job) => ({
    jobId,
    host: String(job.getValue("host")),
    depositor: String(job.getValue("depositor")),
    status: Number(job.getValue("status")),
    token: String(job.getValue("paymentToken")),
    deposit: BigInt(job.getValue("deposit")),
    tokensUsed: BigInt(job.getValue("tokensUsed")),
    proofInterval: BigInt(job.getValue("proofInterval")),
    withdrawnByHost: BigInt(job.getValue("withdrawnByHost")),
    startTime: Number(job.getValue("startTime")),
  }));
}

export interface NodeInfo {
  operator: string;
  stake: bigint;
  active: boolean;
  metadata: string;
  apiUrl: string;
  models: string[];
}

export function readNodeInfo(rpc: RpcSend, registry: string, host: string): Promise<NodeInfo> {
  return viewCall(rpc, registry, NODE_REGISTRY_ABI, "getNodeFullInfo", [host]).then((info) => ({
    operator: String(info[0]),
    stake: BigInt(info[1]),
    active: Boolean(info[2]),
    metadata: String(info[3]),
    apiUrl: String(info[4]),
    models: [...(info[5] as string[])].map((id) => String(id).toLowerCase()),
  }));
}

/** getHostModelPrices(host, token): model id (lower case) → price in contract units; 0 = no price. */
export function readHostPrices(rpc: RpcSend, registry: string, host: string, token: string): Promise<Map<string, bigint>> {
  return viewCall(rpc, registry, NODE_REGISTRY_ABI, "getHostModelPrices", [host, token]).then((result) => {
    const ids = result[0] as string[];
    const prices = result[1] as bigint[];
    return new Map(ids.map((id, i) => [String(id).toLowerCase(), BigInt(prices[i] ?? 0n)]));
  });
}

/** getModelPricing reverts "No model pricing" for a pair without a price: that is an answer (0), not a failure. */
export function readModelPrice(rpc: RpcSend, registry: string, host: string, model: string, token: string): Promise<bigint> {
  return viewCall(rpc, registry, NODE_REGISTRY_ABI, "getModelPricing", [host, model, token]).then(
    (result) => BigInt(result[0]),
    (error: unknown) => {
      if (error instanceof RpcCallError && error.reverted) return 0n;
      throw error;
    },
  );
}

/** `repo:file` of a registry model, or null when the registry does not know it. */
export function readModelName(rpc: RpcSend, modelRegistry: string, id: string): Promise<string | null> {
  return viewCall(rpc, modelRegistry, MODEL_REGISTRY_ABI, "getModel", [id])
    .then((result) => {
      const model = result[0] as Result; // getModel returns one struct
      const repo = String(model[0] ?? "");
      const file = String(model[1] ?? "");
      return repo && file ? `${repo}:${file}` : null;
    })
    .catch(() => null); // a name is a nicety: the id is shown instead
}
