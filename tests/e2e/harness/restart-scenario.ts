/**
 * A host restarted under its clients, twice: `fabstir-host restart` while four sessions are open (the drain lets
 * them finish; a client arriving meanwhile keeps trying until the new host serves), then the daemon SIGKILLed while
 * four sessions are open (their sockets die; `start --daemon` cleans up the orphaned node, recovers the sessions from
 * its journal and settles them; the clients reconnect with new sessions). Returns what every client saw.
 */
import type { CommandRun, DaemonPidRecord, PreparedHost } from "../../../scripts/demo/prepare-host.ts";
import { waitForJobsSettled } from "../../../scripts/demo/chain-facts.ts";
import { ONE_CHECKPOINT_PER_ANSWER, chat, gate, openSessions, type ChatOutcome } from "./clients.ts";
import { waitUntil } from "./checks.ts";
import { type HostProcesses, within } from "./host-control.ts";

export interface RestartRound {
  before: DaemonPidRecord;
  after: DaemonPidRecord;
  /** The sessions open when the host went away. */
  interrupted: ChatOutcome[];
  /** Sessions begun while it was away, which connected once it was back. */
  reconnected: ChatOutcome[];
  command: CommandRun;
}

export interface RestartFacts {
  graceful: RestartRound & { sawDraining: boolean };
  killed: RestartRound;
}

const PROMPTS = 3;

/** Chats in every session, all holding after their first answer until the gate opens. */
function chatsHeldAfterFirstAnswer(host: PreparedHost, sessions: Awaited<ReturnType<typeof openSessions>>) {
  const held = gate(sessions.length);
  const chats = sessions.map((session) =>
    chat(host.publicUrl, session, { prompts: PROMPTS, between: (answered) => (answered === 1 ? held.arrive() : Promise.resolve()) }),
  );
  return { held, chats };
}

export async function restartMidSessions(host: PreparedHost, processes: HostProcesses): Promise<RestartFacts> {
  const { deployment, address } = host;
  const allJobs: string[] = [];

  // 1. `restart` while sessions are open and between prompts.
  const before = await processes.start();
  const first = await openSessions(deployment, address, ["ETH", "USDC", "ETH", "USDC"], "restart", ONE_CHECKPOINT_PER_ANSWER);
  const round1 = chatsHeldAfterFirstAnswer(host, first);
  await within(round1.held.reached, 30_000, "every session answered its first prompt");
  const restarting = host.cli(["restart", "--password-file", host.passwordFile], { name: "restart" });
  // The old host drains: it serves the open sessions to their end but takes no new one.
  const sawDraining = await waitUntil("the host to start draining", () => host.pidRecord()?.state === "stopping", 20_000, 20).catch(() => false);
  round1.held.open();
  const late = await openSessions(deployment, address, ["USDC", "ETH"], "late", ONE_CHECKPOINT_PER_ANSWER);
  const lateChats = late.map((session) => chat(host.publicUrl, session, { prompts: 2, connectWithinMs: 40_000 }));
  const restartRun = await restarting;
  const afterRestart = await processes.waitRunning("the restarted daemon", (r) => r.pid !== before.pid);
  const graceful = {
    before,
    after: afterRestart,
    interrupted: await Promise.all(round1.chats),
    reconnected: await Promise.all(lateChats),
    command: restartRun,
    sawDraining,
  };
  allJobs.push(...graceful.interrupted.map((o) => o.jobId), ...graceful.reconnected.map((o) => o.jobId));

  // 2. SIGKILL while sessions are open: nothing of the daemon gets to clean up.
  const second = await openSessions(deployment, address, ["ETH", "USDC", "USDC", "ETH"], "killed", ONE_CHECKPOINT_PER_ANSWER);
  const round2 = chatsHeldAfterFirstAnswer(host, second);
  await within(round2.held.reached, 30_000, "every session answered its first prompt");
  // The kill comes at once: the journal may not hold the last tokens the clients saw yet. The orphan watchdog saves
  // them from the node into the journal before it stops the node, so the next host proves every one of them.
  const victim = processes.record()!;
  process.kill(victim.pid, "SIGKILL");
  const interrupted = await within(Promise.all(round2.chats), 20_000, "the clients to see their sockets close");
  round2.held.open();
  const comeback = await openSessions(deployment, address, ["ETH", "USDC"], "reconnect", ONE_CHECKPOINT_PER_ANSWER);
  const comebackChats = comeback.map((session) => chat(host.publicUrl, session, { prompts: 2, connectWithinMs: 40_000 }));
  const startRun = await host.cli(["start", "--daemon", "--password-file", host.passwordFile], { name: "start after SIGKILL" });
  const afterKill = await processes.waitRunning("the daemon started after SIGKILL", (r) => r.pid !== victim.pid);
  const killed = { before: victim, after: afterKill, interrupted, reconnected: await Promise.all(comebackChats), command: startRun };
  allJobs.push(...killed.interrupted.map((o) => o.jobId), ...killed.reconnected.map((o) => o.jobId));

  await waitForJobsSettled(deployment, allJobs, 90_000);
  return { graceful, killed };
}
