/**
 * What the proof pipeline needs from the chain, as one narrow interface. The real one is built on the chain layer's
 * journaled sender (chain-adapter.ts); tests of the pipeline's decisions use a fake.
 */
export type SessionStatus = "active" | "completed" | "timed_out";

export interface OnChainSession {
  jobId: string;
  host: string;
  depositor: string;
  paymentToken: string;
  deposit: bigint;
  pricePerToken: bigint;
  tokensUsed: number;
  maxDuration: number;
  startTime: number;
  lastProofTime: number;
  proofInterval: number;
  proofTimeoutWindow: number;
  status: SessionStatus;
}

export interface ProofMaterial {
  proofHash: string;
  proofCID: string;
  deltaCID: string;
}

export interface ProofChain {
  readonly hostAddress: string;
  readSession(jobId: string): Promise<OnChainSession | undefined>;
  /** The time the next block will carry (else the latest block's): the contract judges time by it, not by our clock. */
  chainTime(): Promise<number>;
  disputeWindow(): Promise<number>;
  /** Every call carries an idempotency key: the same key is never sent twice, even across restarts. */
  submitProof(request: { key: string; jobId: string; tokens: number } & ProofMaterial): Promise<{ txHash: string }>;
  completeSession(request: { key: string; jobId: string; conversationCID: string }): Promise<{ txHash: string }>;
  triggerTimeout(request: { key: string; jobId: string }): Promise<{ txHash: string }>;
  /**
   * Whether a transaction recorded under this key may still be mined or already was (recorded, and not failed): a
   * proof whose send was cut short is sent again as the same intent only then. Without this, the pipeline assumes so.
   */
  intentLive?(key: string): Promise<boolean>;
  /** What a proof of this claim would cost now, in wei (gas estimate × current fee); gas-aware proving weighs it. */
  proofCost?(request: { jobId: string; tokens: number } & ProofMaterial): Promise<bigint>;
  /** Active session jobs of this host (recovery after a restart, and encrypted sessions without a job id). */
  activeJobsOfHost(): Promise<string[]>;
}
