/**
 * Short sessions are paid the protocol's minimum, through the compiled binary, in both signer modes. A client opens
 * its job with the SDK's defaults (proofInterval 1,000: fabstir-llm-sdk@ae342d6 packages/sdk-core/src/config/llm-config.ts)
 * and is served 450 tokens. The first proof must claim at least proofInterval ("Low first" in the marketplace's
 * submitProofOfWork), so the host pads it, as the node does ("Padding FIRST checkpoint", fabstir-llm-node@85a87b8
 * src/contracts/checkpoint_manager.rs:1226-1236): one claim of 1,000, paid 1,000 × price less the 10% fee.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { compiledBinary } from "../helpers/binary.ts";
import { prepareHost, type PreparedHost } from "../../scripts/demo/prepare-host.ts";
import { waitForJobsSettled } from "../../scripts/demo/chain-facts.ts";
import { judgeSettlement } from "./harness/checks.ts";
import { chat, openSessions, type ChatOutcome } from "./harness/clients.ts";
import { HostProcesses, withLogsOnFailure } from "./harness/host-control.ts";

/**
 * Three answers of 150 tokens: 450 served, under the SDK's interval of 1,000. The stand-in checkpoints at the real
 * node's threshold (CHECKPOINT_THRESHOLD 1,000), so in node mode the node's only checkpoint is the one it forces when
 * the session completes, padded to the interval (fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:1211-1236).
 */
const NODE_ENV = { SIM_TOKENS_PER_PROMPT: "150", SIM_TOKEN_DELAY_MS: "2", SIM_CHECKPOINT_INTERVAL: "1000" };
/** At the demo's ETH price the devnet's default deposit pays for 333 tokens; the minimum needs 1,000. */
const ETH_DEPOSIT = 10n ** 16n;

for (const signer of ["cli", "node"] as const) {
  describe(`${signer} signer: a 450-token session under proofInterval 1,000`, () => {
    let host: PreparedHost | undefined;
    let outcomes: ChatOutcome[] = [];
    let status: { sessions?: { jobId: string; billing?: string | null }[] } | undefined;

    beforeAll(async () => {
      host = await prepareHost({ binary: await compiledBinary(), retainFiles: true, signer, nodeEnv: NODE_ENV });
      const processes = new HostProcesses(host);
      await withLogsOnFailure(host, async () => {
        await processes.start();
        // A keyless node (cli signer) serves plaintext sessions only: the SDK's frames, unencrypted.
        const encrypted = signer === "node";
        const sessions = [
          ...(await openSessions(host!.deployment, host!.address, ["USDC"], "minimum", { encrypted })),
          ...(await openSessions(host!.deployment, host!.address, ["ETH"], "minimum", { encrypted, deposit: ETH_DEPOSIT })),
        ];
        outcomes = await Promise.all(sessions.map((session) => chat(host!.publicUrl, session, { prompts: 3 })));
        await waitForJobsSettled(
          host!.deployment,
          sessions.map((s) => s.jobId),
          120_000,
        );
        const earnings = await host!.cli(["earnings", "--json"], { name: "earnings", allowFailure: true });
        status = JSON.parse(earnings.stdout).data;
      });
    }, 300_000);

    afterAll(async () => {
      await host?.stop();
      if (host) rmSync(host.scratch, { recursive: true, force: true });
    });

    test("each client was served 450 tokens with the SDK's frames", () => {
      expect(outcomes.map((o) => ({ completed: o.completed, answered: o.answered, tokens: o.tokens }))).toEqual(
        outcomes.map(() => ({ completed: true, answered: 3, tokens: 450 })),
      );
    });

    test("one claim of 1,000 tokens per job, by the host, once; paid 1,000 × price less the fee", async () => {
      const verdict = await judgeSettlement(host!.deployment, host!.address, outcomes);
      expect(verdict.duplicateProofs).toEqual([]);
      expect(verdict.foreignProofs).toEqual([]);
      for (const job of verdict.jobs)
        expect({ job: job.jobId, status: job.status, proven: job.proven, proofs: job.proofs, claimed: job.claimed }).toEqual({
          job: job.jobId,
          status: 1,
          proven: 1000,
          proofs: 1,
          claimed: 1000,
        });
      // What HostEarnings credited is tokensUsed (1,000) × price / 1000 less the treasury's 10% (chain-facts.ts).
      expect(verdict.credited).toEqual(verdict.expectedCredited);
    });

    test("earnings names them minimum-billed", () => {
      const rows = (status as { sessions?: { jobId: string; billing?: string | null }[] } | undefined)?.sessions ?? [];
      for (const outcome of outcomes) expect(rows.find((row) => row.jobId === outcome.jobId)?.billing).toBe("minimum");
    });
  });
}
