/**
 * What the host does when its node bills a client beyond what was served, through the compiled binary. The real node
 * pads a job's first checkpoint to its proofInterval and then counts on from what it generated
 * (fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:390-405), so a job whose proofInterval is above the
 * node's checkpoint threshold is billed again for tokens the padding paid (docs/NODE-COMPATIBILITY.md, known
 * differences). Here the stand-in checkpoints every 100 tokens under a job of the SDK's 1,000: 450 tokens served,
 * 1,300 billed (1,000 padded at 100 generated, then 100 at each of 200, 300 and 400). The host cannot take a proof back; it tells the operator, per session and in its metrics.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { compiledBinary } from "../helpers/binary.ts";
import { prepareHost, type PreparedHost } from "../../scripts/demo/prepare-host.ts";
import { waitForJobsSettled } from "../../scripts/demo/chain-facts.ts";
import { judgeSettlement, readMetrics, waitUntil } from "./harness/checks.ts";
import { chat, openSessions, type ChatOutcome } from "./harness/clients.ts";
import { HostProcesses, withLogsOnFailure } from "./harness/host-control.ts";

const NODE_ENV = { SIM_TOKENS_PER_PROMPT: "150", SIM_TOKEN_DELAY_MS: "2", SIM_CHECKPOINT_INTERVAL: "100" };
/** At the demo's ETH price the devnet's default deposit pays for 333 tokens; the node bills 1,300. */
const ETH_DEPOSIT = 10n ** 16n;

describe("node signer: a node that bills beyond what it served", () => {
  let host: PreparedHost | undefined;
  let outcome: ChatOutcome;
  let overBilled = 0;
  let warnings: { jobId?: string; served?: number; billed?: number; over?: number }[] = [];

  beforeAll(async () => {
    host = await prepareHost({ binary: await compiledBinary(), retainFiles: true, signer: "node", nodeEnv: NODE_ENV });
    const processes = new HostProcesses(host);
    await withLogsOnFailure(host, async () => {
      await processes.start();
      const [session] = await openSessions(host!.deployment, host!.address, ["ETH"], "over", { encrypted: true, deposit: ETH_DEPOSIT });
      outcome = await chat(host!.publicUrl, session!, { prompts: 3 });
      await waitForJobsSettled(host!.deployment, [session!.jobId], 120_000);
      // The host notices on its next look at the settled job.
      overBilled = await waitUntil(
        "the host to count the over-billed tokens",
        async () => (await readMetrics(host!.metricsUrl)).fabstir_host_tokens_over_billed_total || undefined,
        30_000,
        250,
      );
      warnings = readFileSync(join(host!.home, "logs", "proofs.log"), "utf8")
        .split("\n")
        .filter((line) => line.includes("billed beyond what its client was served"))
        .map((line) => JSON.parse(line));
    });
  }, 240_000);

  afterAll(async () => {
    await host?.stop();
    if (host) rmSync(host.scratch, { recursive: true, force: true });
  });

  test("the node billed 1,300 tokens for 450 served (its padded first checkpoint, then 100 three times)", async () => {
    expect({ completed: outcome.completed, tokens: outcome.tokens }).toEqual({ completed: true, tokens: 450 });
    const [job] = (await judgeSettlement(host!.deployment, host!.address, [outcome])).jobs;
    expect({ status: job!.status, proven: job!.proven }).toEqual({ status: 1, proven: 1300 });
  });

  test("the host says so: one warning naming the job, and the over-billed tokens in its metrics", () => {
    // Billed beyond max(served, proofInterval): 1,300 − 1,000.
    expect(warnings).toEqual([expect.objectContaining({ jobId: outcome.jobId, served: 450, billed: 1300, over: 300 })]);
    expect(overBilled).toBe(300);
  });
});
