/** What an alert says. Formats (alert-formats.ts) turn it into what each webhook expects. */
export type AlertKind =
  | "node_down"
  | "node_crash_loop"
  | "proof_failed_permanently"
  | "eth_balance_low"
  | "stake_slashed"
  | "host_unregistered"
  | "rpc_all_down"
  | "sessions_refused"
  | "test";

export type AlertSeverity = "critical" | "warning" | "info";

export type AlertFormat = "json" | "slack" | "discord" | "telegram";

export interface Alert {
  kind: AlertKind;
  severity: AlertSeverity;
  /** What it is about (a job id, "node", "wallet"): de-duplication is per kind and subject. */
  subject: string;
  title: string;
  message: string;
  details?: Record<string, string | number | boolean>;
  /** Epoch ms. */
  at: number;
}

/** Facts about the host that every alert carries, so a person with several hosts knows which one spoke. */
export interface AlertOrigin {
  host: string | null;
  publicUrl: string | null;
  network: string;
  version: string;
}

/** How many occurrences one message stands for, and how many other alerts the rate limit held back. */
export interface AlertTally {
  count: number;
  firstAt: number;
  heldBack: number;
}
