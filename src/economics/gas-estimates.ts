/**
 * Devnet measurements of the host's two recurring transactions (submitProofOfWork with a 100-byte CID ~308,000 gas;
 * completeSessionJob ~290,000), used until the ledger has transactions of its own.
 */
export const GAS_ESTIMATES = { proof: 308_000n, settlement: 290_000n } as const;

/** Gas one submitProofOfWork costs, for when the caller has no recent receipt to go by. */
export const DEFAULT_PROOF_GAS: bigint = GAS_ESTIMATES.proof;
