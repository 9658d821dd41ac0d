/**
 * The node dies mid-stream (the stand-in panics once it generated SIM_CRASH_AFTER_TOKENS tokens): the clients' sockets
 * are closed with 1012 ("come back later"), the supervisor starts a new node, the CLI proves and settles what the dead
 * node served (in node signer mode it is the safety net), and a new session on the new node is served in full.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DaemonPidRecord, PreparedHost } from "../../../scripts/demo/prepare-host.ts";
import { waitForJobsSettled } from "../../../scripts/demo/chain-facts.ts";
import { ONE_CHECKPOINT_PER_ANSWER, chat, openSessions, type ChatOutcome } from "./clients.ts";
import { readMetrics } from "./checks.ts";
import { type HostProcesses, within } from "./host-control.ts";

/** Fewer than two sessions of two answers: the node dies inside the second answers. */
export const CRASH_AFTER_TOKENS = 250;

export interface CrashFacts {
  before: DaemonPidRecord;
  afterCrash: DaemonPidRecord;
  /** The sessions the node died under. */
  crashed: ChatOutcome[];
  /** A session on the node the supervisor started next. */
  afterRestart: ChatOutcome[];
  metrics: Record<string, number>;
  nodeLog: string;
}

export async function nodeCrashMidSession(host: PreparedHost, processes: HostProcesses): Promise<CrashFacts> {
  const before = await processes.start();
  // Both on the first model: one node (the first, named in the PID file) serves both and dies under them.
  const crashing = await openSessions(host.deployment, host.address, ["ETH", "USDC"], "crash", { ...ONE_CHECKPOINT_PER_ANSWER, modelIndex: 0 });
  const crashed = await within(
    Promise.all(crashing.map((session) => chat(host.publicUrl, session, { prompts: 2 }))),
    30_000,
    "the node to crash under its sessions",
  );
  const afterCrash = await processes.waitRunning("the supervisor to start a new node", (r) => r.pid === before.pid && r.node!.pid !== before.node!.pid);
  // The new node has a fresh budget of CRASH_AFTER_TOKENS: one session of two answers stays below it.
  const next = await openSessions(host.deployment, host.address, ["ETH"], "after-crash", { ...ONE_CHECKPOINT_PER_ANSWER, modelIndex: 0 });
  const afterRestart = await Promise.all(next.map((session) => chat(host.publicUrl, session, { prompts: 2, connectWithinMs: 10_000 })));
  await waitForJobsSettled(
    host.deployment,
    [...crashed, ...afterRestart].map((o) => o.jobId),
    60_000,
  );
  return {
    before,
    afterCrash,
    crashed,
    afterRestart,
    metrics: await readMetrics(host.metricsUrl),
    nodeLog: readFileSync(join(host.home, "logs", "node.log"), "utf8"),
  };
}
