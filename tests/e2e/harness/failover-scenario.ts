/**
 * The RPC primary fails mid-run: the host's rpcUrls are a proxy the test controls, then anvil itself. A first wave of
 * sessions is proven and settled through the primary; during the second wave the primary answers 503, then dies
 * outright. The node (which knows only the primary) cannot prove; the CLI, failing over to the second URL, proves and
 * settles everything; `status --json` keeps answering and the metrics endpoint counts what happened.
 */
import type { CommandRun, PreparedHost } from "../../../scripts/demo/prepare-host.ts";
import { waitForJobsSettled } from "../../../scripts/demo/chain-facts.ts";
import { startRpcProxy, type RpcProxy } from "../../integration/chain/fixtures/rpc-proxy.ts";
import { ONE_CHECKPOINT_PER_ANSWER, chat, gate, openSessions, type ChatOutcome } from "./clients.ts";
import { readMetrics } from "./checks.ts";
import { type HostProcesses, within } from "./host-control.ts";

export interface FailoverFacts {
  firstWave: ChatOutcome[];
  secondWave: ChatOutcome[];
  /** JSON-RPC calls the primary carried before it failed (the host used it). */
  primaryCallsBefore: number;
  /** Requests that reached the failing primary afterwards (the host kept trying it, then went round it). */
  primaryRequestsWhileFailing: number;
  status: CommandRun;
  metrics: Record<string, number>;
}

export async function rpcPrimaryFailsMidRun(host: PreparedHost, processes: HostProcesses, keep: { proxy?: RpcProxy }): Promise<FailoverFacts> {
  const proxy = (keep.proxy = await startRpcProxy(host.deployment.rpcUrl));
  await host.cli(["config", "set", "rpcUrls", `${proxy.url},${host.deployment.rpcUrl}`], { name: "config set rpcUrls" });
  await processes.start();

  const first = await openSessions(host.deployment, host.address, ["ETH", "USDC"], "primary", ONE_CHECKPOINT_PER_ANSWER);
  const firstWave = await Promise.all(first.map((session) => chat(host.publicUrl, session, { prompts: 2 })));
  await waitForJobsSettled(
    host.deployment,
    firstWave.map((o) => o.jobId),
    60_000,
  );
  const primaryCallsBefore = proxy.rpcCalls;

  const second = await openSessions(host.deployment, host.address, ["ETH", "USDC"], "fallback", ONE_CHECKPOINT_PER_ANSWER);
  const held = gate(second.length);
  const chats = second.map((session) =>
    chat(host.publicUrl, session, { prompts: 3, between: (answered) => (answered === 1 ? held.arrive() : Promise.resolve()) }),
  );
  await within(held.reached, 30_000, "every session answered its first prompt");
  proxy.reset();
  proxy.mode = "http-503";
  held.open();
  const secondWave = await Promise.all(chats);
  // From refusing to gone: connections to the primary are now refused.
  await proxy.close();
  const status = await host.cli(["status", "--json"], { name: "status while the primary is down", allowFailure: true });
  await waitForJobsSettled(
    host.deployment,
    secondWave.map((o) => o.jobId),
    60_000,
  );
  return { firstWave, secondWave, primaryCallsBefore, primaryRequestsWhileFailing: proxy.httpRequests, status, metrics: await readMetrics(host.metricsUrl) };
}
