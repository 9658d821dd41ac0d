/**
 * Sorts a failed proof or settlement into what to do next: retry later (RPC, nonce, gas), wait (rate rule, dispute
 * window), consider it done (another signer — the node — got there first), or stop for this session (the contract will
 * never accept it). Never loop on a revert.
 *
 * The decision comes from what the failure is, never from our own prose around it: the contract's revert, decoded by
 * the chain layer (the require string or custom error name in `details.reason` / `details.error`), the chain layer's
 * error code, or the RPC library's error code.
 */
import { ChainErrors } from "../errors/codes/chain.ts";
import { isHostError } from "../errors/host-error.ts";

export type FailureClass = "transient" | "wait" | "done" | "permanent";

/**
 * The marketplace's require strings and custom errors a proof or a settlement can meet, each with what it means for us:
 * the short reasons of the live contract (and the devnet's, scripts/devnet/contracts), and the long ones of earlier
 * releases (fabstir-compute-contracts@8edc68b src/JobMarketplaceWithModelsUpgradeable.sol, submitProofOfWork and
 * completeSessionJob).
 */
const REVERTS: Record<string, FailureClass> = {
  // Earlier releases' reasons.
  "Only host can submit proof": "permanent",
  "Must claim minimum tokens": "permanent",
  "Must claim minimum 100 tokens": "permanent",
  "Invalid signature length": "permanent",
  "Exceeds deposit": "permanent",
  "Excessive tokens claimed": "wait",
  "Must wait dispute window": "wait",
  "Dispute window active": "wait",
  // Someone else settled the session (the node, the client, a second host process) or landed this very proof.
  "Not active": "done",
  "Session not active": "done",
  "Proof already used": "done",
  // The contract will never take it.
  "Not host": "permanent",
  "Min tokens": "permanent",
  "Low first": "permanent",
  "Over dep": "permanent",
  "No proof sys": "permanent",
  "Invalid hash": "permanent",
  "Not depositor or host": "permanent",
  // Not yet: the rate rule, the dispute window, a timeout not due.
  "Too many": "wait",
  "Dispute wait": "wait",
  "Not timeout": "wait",
  // Our own gas money, or the chain's: try again later.
  EnforcedPause: "wait",
  ReentrancyGuardReentrantCall: "transient",
};

/** The chain layer's own failures. */
const HOST_CODES: Record<string, FailureClass> = {
  [ChainErrors.TX_CANCELLED.code]: "done",
};

/** ethers v6 error codes (https://docs.ethers.org/v6/api/utils/errors/#ErrorCode). */
const ETHERS_CODES: Record<string, FailureClass> = {
  NETWORK_ERROR: "transient",
  TIMEOUT: "transient",
  SERVER_ERROR: "transient",
  NONCE_EXPIRED: "transient",
  REPLACEMENT_UNDERPRICED: "transient",
  TRANSACTION_REPLACED: "transient",
  INSUFFICIENT_FUNDS: "transient",
  UNKNOWN_ERROR: "transient",
};

function revertClass(reason: unknown): FailureClass | undefined {
  if (typeof reason !== "string" || reason === "") return undefined;
  return REVERTS[reason] ?? REVERTS[reason.replace(/\(.*$/, "")];
}

export function classifyProofFailure(error: unknown): FailureClass {
  if (isHostError(error)) {
    const details = error.details ?? {};
    const fromRevert = revertClass(details.error) ?? revertClass(details.reason);
    if (fromRevert) return fromRevert;
    // A revert we have no rule for: the contract refuses it for a reason of its own; retrying cannot change that.
    if (error.code === ChainErrors.TX_WOULD_REVERT.code || error.code === ChainErrors.TX_REVERTED.code) return "permanent";
    if (HOST_CODES[error.code]) return HOST_CODES[error.code]!;
    return "transient";
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && ETHERS_CODES[code]) return ETHERS_CODES[code]!;
  if (code === "CALL_EXCEPTION") return revertClass((error as { reason?: unknown }).reason) ?? "permanent";
  // Unknown failures are retried with backoff; the attempt cap turns a persistent one into a permanent stop.
  return "transient";
}
