/**
 * A bounded chaos run through the compiled binary: clients that keep their sessions across everything (the SDK keeps
 * session_id and job_id and sends an init before every prompt on a new socket: fabstir-llm-sdk@ae342d6
 * packages/sdk-core/src/managers/SessionManager.ts:1078-1112), while the host is SIGKILLed under its open sessions
 * (with proofs in flight), its node is SIGKILLed mid-answer, and the RPC is cut for a while. The chain judges the end:
 * every job settled once, every token a client received proven (but a tail under the contract's 100-token minimum),
 * none proven that a client did not receive, no proof twice.
 */
import type { PreparedHost } from "../../../scripts/demo/prepare-host.ts";
import { waitForJobsSettled } from "../../../scripts/demo/chain-facts.ts";
import { startRpcProxy, type RpcProxy } from "../../integration/chain/fixtures/rpc-proxy.ts";
import { chat, ONE_CHECKPOINT_PER_ANSWER, openSessions, type ChatOutcome, type OpenedSession } from "./clients.ts";
import { type HostProcesses, within } from "./host-control.ts";

export interface ChaosFacts {
  /** Per session: everything it was served over all rounds. */
  served: ChatOutcome[];
  /** What was done between rounds, in order. */
  disruptions: string[];
}

/** One answer per session, every session at once; a socket the host closed under it counts what was served. */
async function round(host: PreparedHost, sessions: OpenedSession[]): Promise<ChatOutcome[]> {
  return within(
    Promise.all(sessions.map((session) => chat(host.publicUrl, session, { prompts: 1, connectWithinMs: 30_000, timeoutMs: 45_000 }))),
    90_000,
    "a round of answers",
  );
}

export async function chaosRun(host: PreparedHost, processes: HostProcesses, keep: { proxy?: RpcProxy }, encrypted: boolean): Promise<ChaosFacts> {
  // Only the proxy: a cut cuts the node and the CLI alike.
  const proxy = (keep.proxy = await startRpcProxy(host.deployment.rpcUrl));
  await host.cli(["config", "set", "rpcUrls", proxy.url], { name: "config set rpcUrls" });
  let record = await processes.start();
  const sessions = await openSessions(host.deployment, host.address, ["ETH", "USDC", "ETH", "USDC"], "chaos", { ...ONE_CHECKPOINT_PER_ANSWER, encrypted });
  const totals = new Map<string, ChatOutcome>();
  const add = (outcomes: ChatOutcome[]) => {
    for (const outcome of outcomes) {
      const before = totals.get(outcome.jobId);
      totals.set(outcome.jobId, before ? { ...outcome, tokens: before.tokens + outcome.tokens, answered: before.answered + outcome.answered } : outcome);
    }
  };
  const disruptions: string[] = [];

  add(await round(host, sessions));
  // The host dies outright while the proofs of that round are being sent.
  process.kill(record.pid, "SIGKILL");
  disruptions.push("host SIGKILLed with proofs in flight");
  await host.cli(["start", "--daemon", "--password-file", host.passwordFile], { name: "start after SIGKILL" });
  record = await processes.waitRunning("the host started again", (r) => r.pid !== record.pid);

  add(await round(host, sessions));
  // The RPC goes away for a while, answers resume on the host, then the RPC comes back.
  proxy.mode = "http-503";
  disruptions.push("RPC cut");
  add(await round(host, sessions));
  await Bun.sleep(3_000);
  proxy.mode = "pass";
  disruptions.push("RPC back");

  // The node dies mid-answer; the supervisor starts another and the clients come back to it.
  const answering = round(host, sessions);
  await Bun.sleep(150);
  const node = record.node!.pid;
  process.kill(node, "SIGKILL");
  disruptions.push("node SIGKILLed mid-answer");
  add(await answering);
  record = await processes.waitRunning("a new node", (r) => r.node!.pid !== node);
  add(await round(host, sessions));

  await waitForJobsSettled(
    host.deployment,
    sessions.map((s) => s.jobId),
    150_000,
  );
  return { served: sessions.map((s) => totals.get(s.jobId)!), disruptions };
}
