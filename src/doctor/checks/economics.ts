/**
 * Doctor check "economics": every served price on chain compared with the break-even price at the current fees (see
 * src/economics/pricing-check.ts). A price below it makes every proof cost more gas than its checkpoint earns: a
 * warning, not a failure (the operator may price low on purpose, to win sessions).
 */
import { pricingCheck } from "../../economics/pricing-check.ts";
import type { DoctorCheck } from "../types.ts";
import { withDoctorChain } from "./chain-rpc.ts";

export const economicsCheck: DoctorCheck = {
  id: "economics",
  title: "Prices against gas",
  timeoutMs: 20_000,
  async run(ctx) {
    const address = ctx.config?.wallet?.address;
    if (!ctx.config) return { status: "skip", summary: "config not loaded" };
    if (!address) return { status: "skip", summary: "no host key configured" };
    return withDoctorChain(ctx, async (chain, config) => {
      const report = await pricingCheck({ chain, address, stateDir: ctx.paths.stateDir, ethUsd: config.economics?.ethUsd ?? null });
      const details = {
        basis: report.basis,
        below: report.rows
          .filter((r) => r.below)
          .map((r) => ({ model: r.model, token: r.token, price: r.priceHuman, breakEven: r.breakEvenHuman, interval: r.interval })),
      };
      if (!report.registered) return { status: "skip", summary: "not registered: no prices on chain", details };
      if (report.warnings.length > 0) {
        return {
          status: "warn",
          summary: report.warnings.join("; "),
          fix: "Raise the price with `fabstir-host pricing set` (see `fabstir-host pricing check`), or accept proofs that cost more than they earn.",
          details,
        };
      }
      const checked = new Set(report.rows.filter((r) => r.breakEven !== null).map((r) => `${r.modelId}:${r.token}`)).size;
      return {
        status: "pass",
        summary: `${checked} price(s) at or above break-even (a proof costs ${report.basis.proof.costWei} wei now)${report.notes.length ? `; ${report.notes[0]}` : ""}`,
        details,
      };
    });
  },
};
