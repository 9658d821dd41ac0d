/**
 * Everything `status` reads from the chain, in as few round trips as the data allows:
 *   round 1 (one HTTP batch): chain id and contract code (the network check), head block, registration, stake
 *     minimum, wallet and HostEarnings balances, prices per model for ETH and USDC, gas price, slashing events since
 *     the last run, the session ids after those already known (a speculative window of hostSessions reads: the array
 *     has no length getter, and a read past its end just reverts), and the state of known unsettled sessions;
 *   round 2 (only when round 1 found something new): the state of new sessions, names of models the config does not
 *     name, and the rest of a session list longer than the window.
 * A cold run of a registered host takes two round trips; a warm one, one.
 */
import { keccak256, toBeHex, toUtf8Bytes, ZeroAddress } from "ethers";
import { decodeResult, encodeCall } from "../../chain/abi/interfaces.ts";
import { ERC20_ABI, HOST_EARNINGS_ABI, JOB_MARKETPLACE_ABI, NODE_REGISTRY_ABI } from "../../chain/abi/index.ts";
import { CONTRACT_KEYS, type ResolvedNetwork } from "../../chain/networks.ts";
import { HostError } from "../../errors/host-error.ts";
import { RpcCallError } from "../../chain/rpc/batch-sender.ts";
import type { RpcSend } from "../ledger/log-query.ts";
import {
  blockHeader,
  readHostPrices,
  readModelName,
  readModelPrice,
  readNodeInfo,
  readSessionJob,
  viewCall,
  type BlockHeader,
  type NodeInfo,
  type SessionJobLite,
} from "./calls.ts";
import type { StatusCache } from "./cache.ts";
import { slashQuery, type SlashLogs } from "./slashes.ts";

/** Calls of round 1 besides the session window; the window fills the batch up to the provider's limit of 50. */
const FIXED_CALLS = 20;
const BATCH_LIMIT = 50;
const MIN_WINDOW = 4;

export interface StatusChainData {
  chainId: number;
  head: BlockHeader;
  node: NodeInfo;
  minStake: bigint;
  balances: { eth: bigint; fab: bigint; usdc: bigint };
  earnings: { eth: bigint; usdc: bigint };
  prices: { eth: Map<string, bigint>; usdc: Map<string, bigint> };
  modelNames: Map<string, string>;
  gasPrice: bigint;
  /** null when the endpoint would not list the events (the cache keeps what it knew). */
  slashLogs: SlashLogs | null;
  /** Every session id of the host, in hostSessions order. */
  sessionIds: string[];
  /** Fresh state of every session not settled in the cache. */
  jobs: Map<string, SessionJobLite>;
}

/** The RPC answers for another chain than the configured network. */
export class NetworkMismatch extends Error {
  constructor(readonly found: number) {
    super(`chain id ${found}`);
  }
}

/** Configured contract addresses without code on this chain. */
export class ContractsMissing extends Error {
  constructor(readonly missing: string[]) {
    super(missing.join("; "));
  }
}

/** The block the cache remembers is not on this chain: read again without the cache. */
export class StaleCache extends Error {}

export async function readStatusChain(
  rpc: RpcSend,
  network: ResolvedNetwork,
  host: string,
  cache: StatusCache,
  configModels: string[],
): Promise<StatusChainData> {
  const c = network.contracts;
  const unsettled = cache.ids.filter((id) => !cache.settled[id]);
  const window = Math.max(MIN_WINDOW, BATCH_LIMIT - FIXED_CALLS - unsettled.length);
  const names = new Map([...Object.entries(cache.modelNames), ...namesFromConfig(configModels)]);

  // Round 1: every promise is created before the first await, so all of them share one batch.
  const chainId = rpc.send("eth_chainId", []);
  const codes = Promise.all(CONTRACT_KEYS.map((key) => rpc.send("eth_getCode", [c[key], "latest"]) as Promise<string>));
  const head = blockHeader(rpc, "latest");
  const anchor = cache.anchor ? blockHeader(rpc, cache.anchor.number) : Promise.resolve(null);
  const node = readNodeInfo(rpc, c.nodeRegistry, host);
  const minStake = viewCall(rpc, c.nodeRegistry, NODE_REGISTRY_ABI, "MIN_STAKE", []).then((r) => BigInt(r[0]));
  const eth = rpc.send("eth_getBalance", [host, "latest"]).then((hex: string) => BigInt(hex));
  const fab = viewCall(rpc, c.fabToken, ERC20_ABI, "balanceOf", [host]).then((r) => BigInt(r[0]));
  const usdc = viewCall(rpc, c.usdcToken, ERC20_ABI, "balanceOf", [host]).then((r) => BigInt(r[0]));
  const earned = viewCall(rpc, c.hostEarnings, HOST_EARNINGS_ABI, "getBalances", [host, [ZeroAddress, c.usdcToken]]).then((r) =>
    (r[0] as bigint[]).map(BigInt),
  );
  const ethPrices = readHostPrices(rpc, c.nodeRegistry, host, ZeroAddress);
  const usdcPrices = readHostPrices(rpc, c.nodeRegistry, host, c.usdcToken);
  const gasPrice = rpc.send("eth_gasPrice", []).then((hex: string) => BigInt(hex));
  const slashFrom = Math.max(0, cache.slashScannedTo - 4);
  const slashes = slashQuery(rpc, c.nodeRegistry, host, slashFrom);
  const probes = sessionIdsAt(rpc, c.jobMarketplace, host, cache.ids.length, window);
  const known = unsettled.map((id) => readSessionJob(rpc, c.jobMarketplace, id));

  // Settle-handlers on everything now: an early throw below must not leave rejections unhandled.
  void Promise.allSettled([
    chainId,
    codes,
    head,
    anchor,
    node,
    minStake,
    eth,
    fab,
    usdc,
    earned,
    ethPrices,
    usdcPrices,
    gasPrice,
    slashes,
    ...probes,
    ...known,
  ]);

  const foundChainId = Number(BigInt(await chainId));
  if (foundChainId !== network.chainId) throw new NetworkMismatch(foundChainId);
  const codeList = await codes;
  const missing = CONTRACT_KEYS.filter((_, i) => (codeList[i] ?? "0x") === "0x").map((key) => `${key} ${c[key]}`);
  if (missing.length > 0) throw new ContractsMissing(missing);
  const anchorBlock = await anchor.catch(() => null);
  if (cache.anchor && anchorBlock?.hash !== cache.anchor.hash) throw new StaleCache();

  const newIds = takeUntilFailure(await Promise.allSettled(probes));
  const [nodeInfo, jobsKnown, headBlock] = await Promise.all([node, Promise.all(known), head]);

  // Round 2: what round 1 revealed. Again every promise exists before the first await.
  const unnamed = nodeInfo.models.filter((id) => !names.has(id));
  const round2 = Promise.all([
    newIds.length === window ? readRestOfIds(rpc, c.jobMarketplace, host, cache.ids.length + window) : Promise.resolve([] as string[]),
    Promise.all(unnamed.map((id) => readModelName(rpc, c.modelRegistry, id))),
    Promise.all(newIds.map((id) => readSessionJob(rpc, c.jobMarketplace, id))),
    // A range the endpoint refuses (a cold run on a long chain): the recent blocks only. Failing that, none: the
    // slashing history is a warning's worth of facts, not a reason to show no status at all.
    slashes.catch(() => slashQuery(rpc, c.nodeRegistry, host, Math.max(0, headBlock!.number - 10_000))).catch(() => null),
    ethPrices.catch(() => pricesOneByOne(rpc, c.nodeRegistry, host, nodeInfo.models, ZeroAddress)),
    usdcPrices.catch(() => pricesOneByOne(rpc, c.nodeRegistry, host, nodeInfo.models, c.usdcToken)),
  ]);
  const [tailIds, modelNames, newJobs, slashLogs, pricesEth, pricesUsdc] = await round2;
  // Only a session list longer than the window costs more.
  const tailJobs = await Promise.all(tailIds.map((id) => readSessionJob(rpc, c.jobMarketplace, id)));
  modelNames.forEach((name, i) => name && names.set(unnamed[i]!, name));

  const jobs = new Map<string, SessionJobLite>();
  for (const job of [...jobsKnown, ...newJobs, ...tailJobs]) jobs.set(job.jobId, job);
  const [ethBalance, fabBalance, usdcBalance, earnings] = await Promise.all([eth, fab, usdc, earned]);
  return {
    chainId: foundChainId,
    head: headBlock!,
    node: nodeInfo,
    minStake: await minStake,
    balances: { eth: ethBalance, fab: fabBalance, usdc: usdcBalance },
    earnings: { eth: earnings[0] ?? 0n, usdc: earnings[1] ?? 0n },
    prices: { eth: pricesEth, usdc: pricesUsdc },
    modelNames: names,
    gasPrice: await gasPrice,
    slashLogs,
    sessionIds: [...cache.ids, ...newIds, ...tailIds],
    jobs,
  };
}

/**
 * hostSessions(host, index) for a run of indexes. The calls differ only in their last word, so the calldata is encoded
 * once and the index word written per call: a window is up to 30 calls, and ethers' encoder takes about 0.2 ms a call
 * on a cold start, which `status` would spend before its first request.
 */
function sessionIdsAt(rpc: RpcSend, marketplace: string, host: string, from: number, count: number): Promise<string>[] {
  const prefix = encodeCall(JOB_MARKETPLACE_ABI, "hostSessions", [host, 0]).slice(0, -64);
  return Array.from({ length: count }, (_, i) =>
    rpc
      .send("eth_call", [{ to: marketplace, data: prefix + toBeHex(from + i, 32).slice(2) }, "latest"])
      .then((hex: string) => String(decodeResult(JOB_MARKETPLACE_ABI, "hostSessions", hex)[0])),
  );
}

/** The ids of the probes that answered, up to the first one past the end of the array (a revert). */
function takeUntilFailure(results: PromiseSettledResult<string>[]): string[] {
  const ids: string[] = [];
  for (const result of results) {
    if (result.status === "rejected") {
      // The RPC failed, or refused this one call (a rate limit): not the end of the list.
      if (result.reason instanceof HostError || (result.reason instanceof RpcCallError && !result.reason.reverted)) throw result.reason;
      break;
    }
    ids.push(result.value);
  }
  return ids;
}

/** A long list: keep reading windows (each one round trip) until one runs past the end. */
async function readRestOfIds(rpc: RpcSend, marketplace: string, host: string, start: number): Promise<string[]> {
  const ids: string[] = [];
  for (let at = start, size = BATCH_LIMIT - 5; ; at += size) {
    const found = takeUntilFailure(await Promise.allSettled(sessionIdsAt(rpc, marketplace, host, at, size)));
    ids.push(...found);
    if (found.length < size) return ids;
  }
}

/** For a registry without getHostModelPrices: one getModelPricing per model. */
async function pricesOneByOne(rpc: RpcSend, registry: string, host: string, models: string[], token: string): Promise<Map<string, bigint>> {
  const prices = await Promise.all(models.map((id) => readModelPrice(rpc, registry, host, id, token)));
  return new Map(models.map((id, i) => [id, prices[i]!]));
}

/** Model id → `repo:file` for the models in the config, computed locally (keccak256(repo + "/" + file)). */
function namesFromConfig(models: string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const ref of models) {
    const at = ref.indexOf(":");
    if (at <= 0) continue;
    names.set(keccak256(toUtf8Bytes(`${ref.slice(0, at)}/${ref.slice(at + 1)}`)).toLowerCase(), ref);
  }
  return names;
}
