/**
 * Clock skew against the RPC server's HTTP Date header. Sessions, proof intervals and timeouts are judged by chain
 * time; a host clock minutes off misjudges when proofs are due.
 */
import type { DoctorCheck } from "../types.ts";

export const CLOCK_WARN_MS = 10_000;
export const CLOCK_FAIL_MS = 120_000;

export const clockCheck: DoctorCheck = {
  id: "clock",
  title: "Clock in sync",
  async run(ctx) {
    const rpc = ctx.config?.rpcUrls[0];
    if (!rpc) return { status: "skip", summary: "no RPC URL configured to compare with" };
    const before = ctx.clock.now();
    let response: Response;
    try {
      response = await ctx.fetch(rpc, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        signal: AbortSignal.timeout(5_000),
      });
      await response.body?.cancel().catch(() => {});
    } catch (error) {
      return { status: "skip", summary: `RPC not reachable to read its clock: ${(error as Error).message}` };
    }
    const after = ctx.clock.now();
    const date = response.headers.get("date");
    const server = date ? Date.parse(date) : Number.NaN;
    if (!Number.isFinite(server)) return { status: "skip", summary: "the RPC's answer carries no Date header" };
    // The Date header has one-second resolution and was stamped somewhere during the round trip.
    const local = (before + after) / 2;
    const raw = local - server;
    const skew = Math.abs(raw) <= 1000 + (after - before) / 2 ? 0 : raw;
    const details = { skewMs: Math.round(raw), roundTripMs: after - before };
    const summary =
      skew === 0
        ? "within a second of the RPC server's clock"
        : `${Math.abs(Math.round(skew / 1000))} s ${skew > 0 ? "ahead of" : "behind"} the RPC server's clock`;
    const fix = "Enable time synchronisation (`timedatectl set-ntp true`, or install chrony).";
    if (Math.abs(skew) >= CLOCK_FAIL_MS) return { status: "fail", summary, fix, details };
    if (Math.abs(skew) >= CLOCK_WARN_MS) return { status: "warn", summary, fix, details };
    return { status: "pass", summary, details };
  },
};
