/**
 * The project's own chaos run, bounded (a few minutes), in both signer modes, judged on the chain: lost tokens 0 beyond
 * the sub-100 residue, over-billed 0, duplicate proofs 0, unsettled jobs 0 (harness/chaos-scenario.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import type { PreparedHost } from "../../scripts/demo/prepare-host.ts";
import type { RpcProxy } from "../integration/chain/fixtures/rpc-proxy.ts";
import { chaosRun, type ChaosFacts } from "./harness/chaos-scenario.ts";
import { judgeSettlement, type SettlementVerdict } from "./harness/checks.ts";
import { HostProcesses, prepareHostForKills, withLogsOnFailure } from "./harness/host-control.ts";

/** Answers of one checkpoint (100 tokens): each falls due as a proof, so kills land while proofs are in flight. */
const NODE_ENV = { SIM_TOKENS_PER_PROMPT: "100", SIM_TOKEN_DELAY_MS: "5" };

for (const signer of ["cli", "node"] as const) {
  describe(`chaos, ${signer} signer: kills of host and node, an RPC cut, clients that resume`, () => {
    let host: PreparedHost | undefined;
    const keep: { proxy?: RpcProxy } = {};
    let facts: ChaosFacts;
    let verdict: SettlementVerdict;

    beforeAll(async () => {
      host = await prepareHostForKills(signer, NODE_ENV);
      const processes = new HostProcesses(host);
      // A keyless node (cli signer) serves plaintext sessions only: the SDK's encrypted ones get ENCRYPTION_NOT_SUPPORTED.
      facts = await withLogsOnFailure(host, () => chaosRun(host!, processes, keep, signer === "node"));
      verdict = await judgeSettlement(host.deployment, host.address, facts.served);
    }, 420_000);

    afterAll(async () => {
      await host?.stop();
      await keep.proxy?.close();
      if (host) rmSync(host.scratch, { recursive: true, force: true });
    });

    test("every session was served through it all, and every job settled once", () => {
      expect(facts.disruptions).toEqual(["host SIGKILLed with proofs in flight", "RPC cut", "RPC back", "node SIGKILLed mid-answer"]);
      for (const outcome of facts.served) expect(outcome.tokens).toBeGreaterThan(0);
      expect(verdict.jobs.filter((job) => job.status !== 1)).toEqual([]);
    });

    test("lost 0 beyond the sub-100 residue, over-billed 0, duplicates 0", () => {
      expect(verdict.duplicateProofs).toEqual([]);
      expect(verdict.foreignProofs).toEqual([]);
      for (const job of verdict.jobs) {
        const seen = { job: job.jobId, served: job.served, proven: job.proven };
        expect({
          ...seen,
          lost: Math.max(0, job.served - job.proven) < 100,
          overBilled: job.proven > job.served,
          claimsAddUp: job.claimed === job.proven,
        }).toEqual({
          ...seen,
          lost: true,
          overBilled: false,
          claimsAddUp: true,
        });
      }
      expect(verdict.credited).toEqual(verdict.expectedCredited);
    });
  });
}
