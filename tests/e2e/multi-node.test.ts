/**
 * A host with two models through the compiled binary, as an operator runs it: `start --daemon` runs one node per
 * model (node stand-ins), the public port routes each session by its job's model, each job is proven and paid at its
 * own model's price, and a job for a model listed on chain without a node is refused at the front. `doctor` and
 * `status` show which node serves what.
 */
import { conversationFor, readHostTerms } from "../../scripts/devnet/sdk-client.ts";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Contract, Wallet } from "ethers";
import { compiledBinary } from "../helpers/binary.ts";
import { prepareHost, type PreparedHost } from "../../scripts/demo/prepare-host.ts";
import { devnetProvider, openSession } from "../../scripts/devnet/actions.ts";
import { modelId } from "../../scripts/devnet/model-id.ts";
import { expectedCredit, readEarnings, readJobs, type JobFacts } from "../../scripts/demo/chain-facts.ts";
import { chat, type ChatOutcome } from "./harness/clients.ts";
import { HostProcesses, withLogsOnFailure } from "./harness/host-control.ts";
import { isAlive, readMetrics, waitUntil } from "./harness/checks.ts";

const UNSERVED = { repo: "org/unserved-GGUF", file: "unserved.q4.gguf" };
/** Answers of exactly one checkpoint, so everything served is provable. */
const NODE_ENV = { SIM_TOKENS_PER_PROMPT: "100", SIM_TOKEN_DELAY_MS: "3" };

interface NodeRow {
  name: string;
  model: string;
  port: number;
  state: string;
  pid: number;
}

let host: PreparedHost;
let processes: HostProcesses;
let doctor: { status: string; summary: string; details: { instances: { name: string; model: string }[] } };
let nodes: NodeRow[];
let statusText: string;
const outcomes: Record<"first" | "second" | "unserved", ChatOutcome> = {} as never;
const servedBy: Record<string, string[]> = {};
let jobs: JobFacts[];
let creditedBefore: bigint;
let creditedAfter: bigint;
let survivors: number[];
let readiness: { checks: { name: string; ready: boolean }[] };
let nodeUp: number | undefined;

beforeAll(async () => {
  host = await prepareHost({ binary: await compiledBinary(), retainFiles: true, graceSeconds: 10, nodeEnv: NODE_ENV });
  processes = new HostProcesses(host);
  await withLogsOnFailure(host, async () => {
    const { deployment } = host;
    const [first, second] = host.models as [string, string];
    const provider = devnetProvider(deployment.rpcUrl);
    try {
      // The second model costs more; a third model is approved on the network and listed by the host without a node.
      await host.cli(["pricing", "set", "--model", second, "--eth", "0.000005", "--yes", "--password-file", host.passwordFile], { name: "pricing set" });
      const registry = new Contract(
        deployment.contracts.modelRegistry,
        deployment.abis.ModelRegistry,
        new Wallet(deployment.accounts.deployer.privateKey, provider),
      );
      await (await registry.getFunction("addTrustedModel")(UNSERVED.repo, UNSERVED.file, `0x${"22".repeat(32)}`)).wait();
      const unserved = `${UNSERVED.repo}:${UNSERVED.file}`;
      await host.cli(["update", "models", first, second, unserved, "--yes", "--password-file", host.passwordFile], { name: "update models" });

      const report = await host.cli(["doctor", "--json"], { name: "doctor", allowFailure: true });
      doctor = (JSON.parse(report.stdout).data.checks as (typeof doctor & { id: string })[]).find((c) => c.id === "node-instances")!;

      await processes.start();
      nodes = (JSON.parse(readFileSync(join(host.home, "run", "nodes.json"), "utf8")) as { nodes: NodeRow[] }).nodes;
      readiness = (await (await fetch(host.metricsUrl.replace(/\/metrics$/, "/readyz"))).json()) as typeof readiness;
      nodeUp = (await readMetrics(host.metricsUrl)).fabstir_host_node_up;
      statusText = (await host.cli(["status"], { name: "status", allowFailure: true })).stdout;

      creditedBefore = (await readEarnings(deployment, "credited", host.address)).ETH ?? 0n;
      const open = async (label: keyof typeof outcomes, id: string) => {
        // Encrypted to the host's published key, as the SDK does; a proofInterval of 100 so each answer is a checkpoint.
        const terms = await readHostTerms(provider, deployment, host.address, id, "ETH", true);
        const jobId = (
          await openSession(deployment, provider, { host: host.address, modelId: id, pricePerToken: terms.pricePerToken, proofInterval: 100 })
        ).toString();
        const sessionId = `multi-${label}-${jobId}`;
        return { token: "ETH" as const, jobId, sessionId, conversation: conversationFor({ deployment, sessionId, jobId, modelId: id, terms }) };
      };
      const sessions = {
        first: await open("first", deployment.models[0]!.id),
        second: await open("second", deployment.models[1]!.id),
        unserved: await open("unserved", modelId(UNSERVED.repo, UNSERVED.file)),
      };
      const chats = await Promise.all(Object.values(sessions).map((session) => chat(host.publicUrl, session, { prompts: 2, timeoutMs: 30_000 })));
      [outcomes.first, outcomes.second, outcomes.unserved] = chats as [ChatOutcome, ChatOutcome, ChatOutcome];
      for (const [label, session] of Object.entries(sessions)) {
        servedBy[label] = [];
        for (const node of nodes)
          if ((await fetch(`http://127.0.0.1:${node.port}/sim/sessions/${session.sessionId}`)).status === 200) servedBy[label]!.push(node.model);
      }
      const paid = [sessions.first.jobId, sessions.second.jobId];
      jobs = await waitUntil(
        "both paid jobs settled",
        async () => {
          const read = await readJobs(deployment, paid);
          return read.every((job) => job.status !== 0) ? read : undefined;
        },
        60_000,
        500,
      );
      creditedAfter = (await readEarnings(deployment, "credited", host.address)).ETH ?? 0n;
      await host.cli(["stop"], { name: "stop" });
      // `stop` returns once the PID file is gone; the nodes' groups may take a moment more.
      survivors = await waitUntil(
        "every node to exit",
        () => {
          const alive = nodes.map((n) => n.pid).filter(isAlive);
          return alive.length === 0 ? [] : undefined;
        },
        5_000,
      ).catch(() => nodes.map((n) => n.pid).filter(isAlive));
    } finally {
      provider.destroy();
    }
  });
}, 240_000);

afterAll(async () => {
  await host?.stop();
  if (host) rmSync(host.scratch, { recursive: true, force: true });
}, 30_000);

describe("a host with two models through the binary", () => {
  test("doctor shows a node per model, and fails for the model listed without one", () => {
    expect(doctor.details.instances.map((i) => i.model)).toEqual(expect.arrayContaining(host.models));
    expect(doctor.status).toBe("fail");
    expect(doctor.summary).toContain(`${UNSERVED.repo}:${UNSERVED.file}`);
  });

  test("start runs one node per served model, each on its own port; status lists them", () => {
    expect(nodes.map((n) => [n.model, n.state]).sort()).toEqual(host.models.map((m) => [m, "running"]).sort());
    expect(new Set(nodes.map((n) => n.port)).size).toBe(2);
    for (const model of host.models) expect(statusText).toContain(model);
    expect(statusText).toMatch(/NODE\s+MODEL\s+GPU\s+STATE/);
  });

  test("/readyz has a check for each node, and node_up counts them all", () => {
    const nodeChecks = readiness.checks.filter((check) => check.name === "node" || check.name.startsWith("node "));
    expect(nodeChecks.map((check) => [check.name, check.ready]).sort()).toEqual(
      [["node", true], ...nodes.slice(1).map((n) => [`node ${n.name}`, true])].sort() as [string, boolean][],
    );
    expect(nodeUp).toBe(1);
  });

  test("each job is answered by its model's node", () => {
    for (const label of ["first", "second"] as const)
      expect({ label, completed: outcomes[label].completed, tokens: outcomes[label].tokens, error: outcomes[label].error }).toEqual({
        label,
        completed: true,
        tokens: 200,
        error: undefined,
      });
    expect(servedBy.first).toEqual([host.models[0]!]);
    expect(servedBy.second).toEqual([host.models[1]!]);
  });

  test("a job for a model no node serves is refused at the front, before any node sees it", () => {
    expect(outcomes.unserved.completed).toBe(false);
    expect(outcomes.unserved.tokens).toBe(0);
    expect(outcomes.unserved.error).toStartWith("MODEL_NOT_SERVED:");
    expect(servedBy.unserved).toEqual([]);
  });

  test("both jobs are proven and paid at their own model's price", () => {
    const [first, second] = jobs as [JobFacts, JobFacts];
    expect([first.status, first.tokensUsed, second.status, second.tokensUsed]).toEqual([1, 200, 1, 200]);
    expect(first.pricePerToken).not.toBe(second.pricePerToken);
    expect(second.pricePerToken).toBe(5_000_000_000_000n);
    expect(creditedAfter - creditedBefore).toBe(expectedCredit(first) + expectedCredit(second));
  });

  test("stop leaves no node running", () => {
    expect(nodes.every((n) => n.pid > 0)).toBe(true);
    expect(survivors).toEqual([]);
    expect(host.pidRecord()).toBeUndefined();
  });
});
