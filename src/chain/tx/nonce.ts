/**
 * Nonces of one sending address. The chain's pending count is the starting point before every signature, because
 * another process (the node, signing checkpoints with the same key) may have used nonces meanwhile; nonces held by
 * our own unfinished intents in the journal are skipped, because those signed transactions may not have reached this
 * node's mempool (a crash before broadcast, another RPC backend) and will be (re)broadcast by their owner.
 * The smallest free nonce at or above the pending count is taken, so a hole left by a failed intent is filled.
 *
 * Allocation and the journal write of the signed transaction happen under one lock, in this process (a promise
 * chain) and across processes (a pid lock file), so two senders never sign different transactions with one nonce.
 */
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostError } from "../../errors/host-error.ts";
import type { Clock } from "../../util/clock.ts";
import { lockWithin } from "./file-lock.ts";
import type { IntentJournal } from "./journal.ts";

export interface NonceSource {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/**
 * The address's transaction count, read with a raw `send`: that path never goes through ethers' 250 ms result cache,
 * whatever the provider's `cacheTimeout`, so a nonce read right after a send is never stale.
 */
export async function transactionCount(source: NonceSource, address: string, blockTag: "pending" | "latest"): Promise<number> {
  return Number(BigInt((await source.send("eth_getTransactionCount", [address.toLowerCase(), blockTag])) as string));
}

const HOLDS_NONCE = new Set(["signed", "sent", "mined"]);

export class NonceAllocator {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly source: NonceSource,
    private readonly journal: IntentJournal,
    private readonly address: string,
    private readonly clock: Clock,
    private readonly lockTimeoutMs = 30_000,
  ) {}

  /** Runs `use(nonce)` with the next free nonce; `use` must record the signed transaction before it returns. */
  withNextNonce<T>(forKey: string, use: (nonce: number) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const release = await lockWithin(this.journal.nonceLockPath, this.lockTimeoutMs, this.clock);
      if (!release) {
        throw new HostError(ChainErrors.INTENT_BUSY, `Another process has held the nonce lock of ${this.address} for over ${this.lockTimeoutMs / 1000} s.`);
      }
      try {
        const pending = await transactionCount(this.source, this.address, "pending");
        const held = this.heldNonces(forKey);
        let nonce = pending;
        while (held.has(nonce)) nonce += 1;
        return await use(nonce);
      } finally {
        release();
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Nonces of the latest attempts of other unfinished intents. */
  heldNonces(exceptKey?: string): Set<number> {
    const held = new Set<number>();
    for (const record of this.journal.listActive()) {
      if (record.key === exceptKey || !HOLDS_NONCE.has(record.state)) continue;
      const last = record.attempts[record.attempts.length - 1];
      if (last) held.add(last.nonce);
    }
    return held;
  }
}
