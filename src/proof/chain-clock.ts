/**
 * Chain time, estimated from our clock between readings. A reading older than a second is renewed: the chain's clock
 * drifts from ours (an idle devnet's last block is old, a devnet's time can jump ahead), and an offset measured once
 * made waits run long by the drift, or early, which the contract refuses.
 */
import type { ProofChain } from "./chain-port.ts";

/** How long a reading of chain time is trusted (estimated forward by our clock) before it is read again. */
export const CHAIN_TIME_TTL_MS = 1000;

export class ChainClock {
  private reading: { offsetSeconds: number; readAt: number } | undefined;

  constructor(
    private readonly chain: Pick<ProofChain, "chainTime">,
    private readonly clock: { now(): number },
  ) {}

  async now(): Promise<number> {
    const now = this.clock.now();
    if (!this.reading || now - this.reading.readAt > CHAIN_TIME_TTL_MS) {
      this.reading = { offsetSeconds: (await this.chain.chainTime()) - now / 1000, readAt: now };
    }
    return Math.floor(now / 1000 + this.reading.offsetSeconds);
  }
}
