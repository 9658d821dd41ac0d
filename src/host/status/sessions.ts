/** This host's sessions that are still active (status 0), read from JobMarketplace.hostSessions and sessionJobs. */
import { SessionStatus, type ChainClient } from "../../chain/index.ts";

/** Reads issued together (one JSON-RPC batch each round). */
const CHUNK = 25;
/** A host with more sessions than this has its newest ones checked (active sessions are recent ones). */
export const MAX_SESSIONS_SCANNED = 5_000;

/** Every session id of the host, oldest first: hostSessions(host, i) until the array ends (the getter reverts). */
export async function hostSessionIds(chain: ChainClient, host: string): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let start = 0; ids.length < MAX_SESSIONS_SCANNED; start += CHUNK) {
    const chunk = await Promise.all(
      Array.from({ length: CHUNK }, (_, i) =>
        chain.contracts.jobMarketplace.hostSessions(host, start + i).then(
          (id) => id,
          (error: unknown) => {
            if ((error as { code?: unknown })?.code === "CALL_EXCEPTION") return null; // past the end of the array
            throw error;
          },
        ),
      ),
    );
    for (const id of chunk) if (id !== null) ids.push(id);
    if (chunk.some((id) => id === null)) break;
  }
  return ids;
}

export async function activeSessionsOf(chain: ChainClient, host: string): Promise<bigint[]> {
  const ids = await hostSessionIds(chain, host);
  const active: bigint[] = [];
  for (let start = 0; start < ids.length; start += CHUNK) {
    const slice = ids.slice(start, start + CHUNK);
    const jobs = await Promise.all(slice.map((id) => chain.contracts.jobMarketplace.sessionJobs(id)));
    jobs.forEach((job, i) => {
      if (Number(job.status ?? job[12]) === SessionStatus.Active) active.push(slice[i]!);
    });
  }
  return active;
}
