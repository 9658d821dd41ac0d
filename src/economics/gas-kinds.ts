/**
 * What a journaled transaction was for, read from its idempotency key. The keys are the ones the senders use:
 * `register:<addr>:approve|register` (src/host/register.ts), `stake:<addr>:<stake>:approve|add:<n>` and
 * `unregister:<addr>` (src/host/stake.ts), `<flow>:<addr>:price|clear:…` (src/host/price-steps.ts),
 * `update:<addr>:…` (src/host/update.ts), `proof:<jobId>:<tokens>` (src/proof/pipeline.ts), `complete|timeout:<jobId>`
 * (src/proof/settlement.ts), `sweep:<id>:<token>` (src/host/withdraw/execute.ts).
 */
import type { IntentRecord } from "../chain/tx/types.ts";
import type { GasKind } from "./gas-types.ts";

export function kindOfIntent(record: Pick<IntentRecord, "key" | "withdrawn">): { kind: GasKind; jobId: string | null } {
  // A withdrawn intent's mined attempt is the 0-ETH no-op that took its nonce back.
  if (record.withdrawn) return { kind: "cancel", jobId: null };
  const parts = record.key.split(":");
  const head = parts[0];
  const job = (id: string | undefined) => (id && /^\d+$/.test(id) ? id : null);
  if (head === "proof") return { kind: "proof", jobId: job(parts[1]) };
  if (head === "complete") return { kind: "settlement", jobId: job(parts[1]) };
  if (head === "timeout") return { kind: "timeout", jobId: job(parts[1]) };
  if (head === "sweep" || head === "withdraw") return { kind: "withdraw", jobId: null };
  if (head === "unregister") return { kind: "unregister", jobId: null };
  if (parts.includes("price") || parts.includes("clear") || head === "pricing") return { kind: "pricing", jobId: null };
  if (parts.includes("approve")) return { kind: "approve", jobId: null };
  if (head === "stake") return { kind: "stake", jobId: null };
  if (head === "register") return { kind: "register", jobId: null };
  if (head === "update" || head === "api-url") return { kind: "update", jobId: null };
  return { kind: "other", jobId: null };
}
