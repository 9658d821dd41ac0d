/**
 * Sessions survive a host restart as the client sees them, through the compiled binary, in both signer modes: the
 * daemon is SIGKILLed after one answer, started again with `start --daemon`, and the same session is resumed for two
 * more answers. The restarted host reopens the session's proof record instead of settling the job on what it had, so
 * every token served in both parts is proven (all but a tail under the contract's 100-token minimum) and paid, once.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import type { PreparedHost } from "../../scripts/demo/prepare-host.ts";
import { judgeSettlement, provableRange } from "./harness/checks.ts";
import { HostProcesses, prepareHostForKills, withLogsOnFailure } from "./harness/host-control.ts";
import { resumeAfterKill, type ResumeFacts } from "./harness/resume-scenario.ts";

const SETUP_MS = 60_000;
/**
 * Answers of exactly one checkpoint (100 tokens): every token a client received is provable in each part, whichever of
 * node and CLI proves it (a part's tail under 100 tokens could not be proven alone). Three answers stay within what
 * an ETH session's deposit pays for at the demo price (333 tokens).
 */
const NODE_ENV = { SIM_TOKENS_PER_PROMPT: "100", SIM_TOKEN_DELAY_MS: "3" };

for (const signer of ["cli", "node"] as const) {
  describe(`${signer} signer: a session resumed after the daemon was SIGKILLed`, () => {
    let host: PreparedHost | undefined;
    let processes: HostProcesses;
    let facts: ResumeFacts;

    beforeAll(async () => {
      host = await prepareHostForKills(signer, NODE_ENV);
      processes = new HostProcesses(host);
      // A keyless node (cli signer) serves plaintext sessions only: the SDK's encrypted ones get ENCRYPTION_NOT_SUPPORTED.
      facts = await withLogsOnFailure(host, () => resumeAfterKill(host!, processes, 2, { encrypted: signer === "node" }));
    }, SETUP_MS + 300_000);

    afterAll(async () => {
      await host?.stop();
      if (host) rmSync(host.scratch, { recursive: true, force: true });
    });

    test("the client was served before the kill and again after it, on the same session", () => {
      for (const part of facts.beforeKill) expect({ answered: part.answered, tokens: part.tokens > 0 }).toEqual({ answered: 1, tokens: true });
      for (const part of facts.resumed)
        expect({ completed: part.completed, answered: part.answered, error: part.error }).toEqual({ completed: true, answered: 2, error: undefined });
    });

    test("every token served in both parts is proven once and paid; the job settled once, after the client left", async () => {
      // The host's logs go with a failure: its files are removed afterwards.
      await withLogsOnFailure(host, () => judgeResumed(host!, facts));
    });
  });
}

async function judgeResumed(host: PreparedHost, facts: ResumeFacts): Promise<void> {
  const verdict = await judgeSettlement(host.deployment, host.address, facts.served);
  expect(verdict.duplicateProofs).toEqual([]);
  expect(verdict.foreignProofs).toEqual([]);
  for (const job of verdict.jobs) {
    expect(job.served).toBe(300);
    const { min, max } = provableRange(job.served);
    const seen = { job: job.jobId, served: job.served, proven: job.proven };
    expect({ ...seen, completed: job.status === 1, claimsAddUp: job.claimed === job.proven, allProvable: job.proven >= min && job.proven <= max }).toEqual({
      ...seen,
      completed: true,
      claimsAddUp: true,
      allProvable: true,
    });
  }
  expect(verdict.credited).toEqual(verdict.expectedCredited);
}
