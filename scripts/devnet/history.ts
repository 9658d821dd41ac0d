/**
 * A host's settled history written straight into the devnet marketplace's storage (anvil_setStorageAt): thousands of
 * past jobs in a second, where opening and settling each through transactions would take minutes. Each job is what
 * `hostSessions(host, i)` and `sessionJobs(id)` answer for a completed ETH session (id, depositor, host, status 1);
 * nextJobId moves past them, so sessions opened afterwards get fresh ids. The slots are those of
 * contracts/MarketplaceCore.sol's storage (checked by tests/integration/devnet/history.test.ts through the getters).
 */
import { AbiCoder, keccak256, toBeHex, zeroPadValue } from "ethers";
import { rpc, rpcBatch } from "./rpc.ts";
import type { Deployment } from "./types.ts";

/** Storage slots of JobMarketplaceWithModels (solc storageLayout): sessions, hostSessions, nextJobId. */
const SLOT = { sessions: 4n, hostSessions: 6n, nextJobId: 8n } as const;
/** Field offsets inside a SessionJob. */
const FIELD = { id: 0n, depositor: 1n, host: 2n, status: 12n } as const;
const COMPLETED = 1n;
const CALLS_PER_BATCH = 2000;

const coder = AbiCoder.defaultAbiCoder();
const word = (value: bigint | string) => zeroPadValue(toBeHex(value), 32);
const mappingSlot = (key: bigint | string, slot: bigint, keyType: "uint256" | "address") => BigInt(keccak256(coder.encode([keyType, "uint256"], [key, slot])));

export interface SeedHistoryOptions {
  /** Default: the deployment's host account. */
  host?: string;
  /** Default: the deployment's client account. */
  depositor?: string;
}

/** Appends `count` completed jobs to the host's session list; returns their ids (ascending). */
export async function seedSettledHistory(deployment: Deployment, count: number, options: SeedHistoryOptions = {}): Promise<bigint[]> {
  const rpcUrl = deployment.rpcUrl;
  const market = deployment.contracts.jobMarketplace;
  const host = options.host ?? deployment.accounts.host.address;
  const depositor = options.depositor ?? deployment.accounts.client.address;
  const read = async (slot: bigint) => BigInt(await rpc<string>(rpcUrl, "eth_getStorageAt", [market, toBeHex(slot), "latest"]));

  const listSlot = mappingSlot(host, SLOT.hostSessions, "address");
  const firstId = await read(SLOT.nextJobId);
  const length = await read(listSlot);
  const elements = BigInt(keccak256(word(listSlot)));
  const writes: Array<[bigint, bigint | string]> = [];
  const ids: bigint[] = [];
  for (let i = 0n; i < BigInt(count); i++) {
    const jobId = firstId + i;
    const base = mappingSlot(jobId, SLOT.sessions, "uint256");
    writes.push([base + FIELD.id, jobId], [base + FIELD.depositor, depositor], [base + FIELD.host, host], [base + FIELD.status, COMPLETED]);
    writes.push([elements + length + i, jobId]);
    ids.push(jobId);
  }
  writes.push([listSlot, length + BigInt(count)], [SLOT.nextJobId, firstId + BigInt(count)]);
  for (let at = 0; at < writes.length; at += CALLS_PER_BATCH) {
    const calls = writes
      .slice(at, at + CALLS_PER_BATCH)
      .map(([slot, value]) => ({ method: "anvil_setStorageAt", params: [market, toBeHex(slot), word(value)] }));
    await rpcBatch(rpcUrl, calls);
  }
  await rpc(rpcUrl, "evm_mine");
  return ids;
}
