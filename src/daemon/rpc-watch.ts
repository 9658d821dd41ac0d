/**
 * Turns the RPC pool's counters into operations events: errors and failovers per URL for the metrics, and "every URL
 * is down" / "recovered" for the alerts. Polled, so the pool itself stays free of any reporting concern.
 */
import type { ChainClient } from "../chain/index.ts";
import type { OpsEvent } from "../ops/events.ts";
import { realEvery, type Clock } from "../util/clock.ts";

export function watchRpc(chain: ChainClient, emit: (event: OpsEvent) => void, intervalMs = 5_000, every: Clock["every"] = realEvery): { stop(): void } {
  const seen = new Map<string, { errors: number; failovers: number }>();
  let allDown = false;
  const poll = () => {
    const stats = chain.rpcStats();
    for (const endpoint of stats) {
      const before = seen.get(endpoint.label) ?? { errors: 0, failovers: 0 };
      for (let i = before.errors; i < endpoint.errors; i++) emit({ type: "rpc_error", url: endpoint.label });
      const next = stats.find((other) => other.index > endpoint.index)?.label ?? stats[0]?.label ?? endpoint.label;
      for (let i = before.failovers; i < endpoint.failovers; i++) emit({ type: "rpc_failover", from: endpoint.label, to: next });
      seen.set(endpoint.label, { errors: endpoint.errors, failovers: endpoint.failovers });
    }
    const down = stats.length > 0 && stats.every((endpoint) => endpoint.breaker === "open");
    if (down && !allDown)
      emit({
        type: "rpc_all_down",
        endpoints: stats.length,
        lastError: stats
          .map((e) => e.lastError)
          .filter(Boolean)
          .join("; ")
          .slice(0, 300),
      });
    if (!down && allDown) emit({ type: "rpc_recovered" });
    allDown = down;
  };
  const stopPolling = every(intervalMs, poll);
  return {
    stop() {
      stopPolling();
      poll();
    },
  };
}
