/**
 * `status --json` data. The shape is stable: fields are added, never renamed or removed. Amounts carry base units
 * (`raw`, decimal string) and the human value; sections that could not be read are null and a warning says why.
 */
import type { TokenAmount, PaymentToken } from "../ledger/amounts.ts";
import type { StatusNet } from "../../economics/status-net.ts";
import type { Billing } from "../ledger/billing.ts";

export type WarningKind =
  | "wrong-network"
  | "contracts-missing"
  | "chain-unreachable"
  | "not-registered"
  | "inactive"
  | "stake-below-minimum"
  | "low-gas"
  | "unpriced-model"
  | "slashed"
  | "auto-unregistered"
  | "host-stopped"
  | "host-stale"
  | "keyless-node";

export interface StatusWarning {
  kind: WarningKind;
  /** error: the chain part of the screen cannot be trusted (exit code 1); warning: act soon; info: for the record. */
  severity: "error" | "warning" | "info";
  message: string;
  hint: string | null;
}

export interface PriceStatus {
  /** Contract units (PRICE_PRECISION included), decimal. */
  contract: string;
  /** Human units: ETH per thousand tokens, USD per million tokens. */
  value: string;
  unit: string;
}

export interface ModelStatus {
  id: string;
  /** `repo:file`, when the config or the model registry names it. */
  name: string | null;
  /** null: no price for this token (sessions paying in it revert). */
  prices: Record<PaymentToken, PriceStatus | null>;
}

export interface RegistrationStatus {
  registered: boolean;
  active: boolean;
  stake: TokenAmount;
  minStake: TokenAmount;
  apiUrl: string;
  models: ModelStatus[];
}

export type SessionState = "active" | "completed" | "timed_out";

export interface SessionStatusRow {
  jobId: string;
  status: SessionState;
  token: PaymentToken | null;
  deposit: TokenAmount | null;
  /** The depositor (for a session a delegate opened, the payer); null for a cached session read before it was kept. */
  payer: string | null;
  /** How the settlement billed it (early cancel, the proofInterval minimum, or tokens); null while active. */
  billing: Billing | null;
  /** Tokens proven on chain (sessionJobs.tokensUsed). */
  tokensProven: string;
  /** Proofs landed (the local proof journal or the earnings ledger); null when neither knows the session. */
  proofs: number | null;
  /** Tokens the local node generated for it, per the proof journal; null when this host did not serve it. */
  generated: number | null;
  /** Net credited to the host at settlement. */
  credited: TokenAmount | null;
  startedAt: string | null;
}

export interface SessionsStatus {
  active: number;
  completed: number;
  timedOut: number;
  total: number;
  tokensProven: string;
  proofs: number;
  /** Newest first. */
  list: SessionStatusRow[];
}

import type { NodeReport } from "../../node/instances/nodes-file.ts";

export interface NodeProcessStatus {
  status: "running" | "not-running" | "stale";
  mode: "daemon" | "foreground" | null;
  state: string | null;
  pid: number | null;
  nodePid: number | null;
  startedAt: string | null;
  uptimeSeconds: number | null;
  /** Why a stale record is stale. */
  reason: string | null;
  /** A host with several nodes (one per model / GPU): each node, while it runs (src/node/instances/nodes-file.ts). */
  nodes?: NodeReport[] | null;
}

export interface SlashRecord {
  kind: "slashed" | "auto-unregistered";
  block: number;
  tx: string;
  amount: TokenAmount;
  /** Stake left after a slash, or stake returned by an auto-unregistration. */
  remaining: TokenAmount;
  reason: string;
}

export interface StatusReport {
  address: string;
  network: { name: string; label: string; chainId: number; rpc: string[]; verified: boolean; foundChainId: number | null };
  block: { number: number; time: string } | null;
  registration: RegistrationStatus | null;
  wallet: { eth: TokenAmount; fab: TokenAmount; usdc: TokenAmount } | null;
  earnings: Record<PaymentToken, TokenAmount> | null;
  /** Gross credited, gas spent and net from the ledgers on disk (src/economics/status-net.ts); null before they exist. */
  net?: StatusNet | null;
  sessions: SessionsStatus | null;
  node: NodeProcessStatus;
  gas: { priceWei: string; proofCost: TokenAmount; proofsLeft: number | null } | null;
  slashes: SlashRecord[];
  warnings: StatusWarning[];
  rpc: { roundTrips: number; calls: number };
  generatedAt: string;
}
