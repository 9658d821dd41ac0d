/**
 * A session that outlives its host process, as the SDK sees it: one answer, the daemon SIGKILLed under the open socket,
 * `start --daemon`, and the same session (same session_id and job_id, a session_init on a new socket, as the SDK sends
 * one before every prompt: fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/SessionManager.ts:1079) asks for
 * more answers. Returns what the client was served in both parts, as one outcome, for the chain's verdict.
 */
import type { PreparedHost } from "../../../scripts/demo/prepare-host.ts";
import { waitForJobsSettled } from "../../../scripts/demo/chain-facts.ts";
import { chat, gate, ONE_CHECKPOINT_PER_ANSWER, openSessions, type ChatOutcome, type OpenSessionsOptions } from "./clients.ts";
import { type HostProcesses, within } from "./host-control.ts";

export interface ResumeFacts {
  /** The first part: one answer, then the socket died with the daemon. */
  beforeKill: ChatOutcome[];
  /** The same sessions resumed on the restarted host. */
  resumed: ChatOutcome[];
  /** Both parts together, per session (tokens served in all). */
  served: ChatOutcome[];
}

/**
 * Sessions of one checkpoint per answer (100 tokens), as the other resilience scenarios: what is judged is that every
 * answer, before and after the kill, is proven; a short session's minimum billing is tests/e2e/minimum-billing.test.ts.
 */
export async function resumeAfterKill(
  host: PreparedHost,
  processes: HostProcesses,
  resumedAnswers = 2,
  options: OpenSessionsOptions = {},
): Promise<ResumeFacts> {
  const before = await processes.start();
  const sessions = await openSessions(host.deployment, host.address, ["ETH", "USDC"], "resume", { ...ONE_CHECKPOINT_PER_ANSWER, ...options });
  const held = gate(sessions.length);
  const first = sessions.map((session) => chat(host.publicUrl, session, { prompts: 2, between: () => held.arrive() }));
  await within(held.reached, 30_000, "every session answered its first prompt");
  // A moment for the node's first checkpoint to be seen; the kill itself comes without warning.
  await Bun.sleep(500);
  process.kill(before.pid, "SIGKILL");
  const beforeKill = await within(Promise.all(first), 20_000, "the clients to see their sockets close");
  held.open();
  // Every stage has its own deadline, so a stall fails here with the host's logs rather than at the hook's timeout.
  await within(host.cli(["start", "--daemon", "--password-file", host.passwordFile], { name: "start after SIGKILL" }), 90_000, "start after SIGKILL");
  await processes.waitRunning("the daemon started after SIGKILL", (r) => r.pid !== before.pid);
  const resumed = await within(
    Promise.all(sessions.map((session) => chat(host.publicUrl, session, { prompts: resumedAnswers, connectWithinMs: 20_000, timeoutMs: 45_000 }))),
    60_000,
    "the resumed sessions to be answered",
  );
  await waitForJobsSettled(
    host.deployment,
    sessions.map((s) => s.jobId),
    90_000,
  );
  const served = beforeKill.map((part, i) => ({ ...resumed[i]!, tokens: part.tokens + resumed[i]!.tokens, answered: part.answered + resumed[i]!.answered }));
  return { beforeKill, resumed, served };
}
