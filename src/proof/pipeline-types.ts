/** The proof pipeline's options and the metrics it reports (see pipeline.ts). */
import type { Clock } from "../util/clock.ts";
import type { Logger } from "../ops/logging/logger-types.ts";
import type { FetchFn } from "../context.ts";
import type { ProofChain } from "./chain-port.ts";
import type { ProofJournal } from "./journal.ts";
import type { GasPolicy } from "./gas-policy.ts";

export interface PipelineOptions {
  chain: ProofChain;
  journal: ProofJournal;
  signer: "node" | "cli";
  /** How long the node gets to act on a due checkpoint or settlement before the CLI does it (node mode). */
  graceMs: number;
  /** When a due checkpoint may wait for more tokens (cli signer); unset = every interval when due. */
  gasPolicy?: GasPolicy;
  nodeUrl: string;
  fetch: FetchFn;
  clock: Clock;
  logger: Logger;
  /** Transient failures retry with exponential backoff up to this many attempts, then stop with an alert. */
  maxAttempts?: number;
  backoffMs?: { base: number; max: number };
  onAlert?: (kind: "proof_failed", message: string, meta: Record<string, unknown>) => void;
  onMetric?: (event: PipelineMetric) => void;
}

export type PipelineMetric =
  | { type: "proof_submitted"; jobId: string; tokens: number; by: "cli"; overheadMs: number }
  | { type: "proof_failed"; jobId: string; reason: string; permanent: boolean }
  | { type: "settled"; jobId: string; by: "cli" | "node" | "other"; kind: string }
  /** A settled session billed beyond what its client was served (minimum-billing.ts, overBilled). */
  | { type: "over_billed"; jobId: string; tokens: number };
