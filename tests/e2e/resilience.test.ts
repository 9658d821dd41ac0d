/**
 * A host through rough times, driven through the compiled binary as an operator runs it, judged by the chain: a
 * restart and a SIGKILL under open sessions, a node that crashes mid-stream, and an RPC primary that fails mid-run.
 * Whatever happens, every session ends settled, every provable token is proven exactly once and paid, nothing the
 * host wrote holds its key or password, and no process outlives `stop`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { compiledBinary } from "../helpers/binary.ts";
import { prepareHost, type PreparedHost } from "../../scripts/demo/prepare-host.ts";
import { cliActions, judgeSettlement, provableRange, scanForSecrets, waitUntil, type SettlementVerdict } from "./harness/checks.ts";
import { HostProcesses, withLogsOnFailure } from "./harness/host-control.ts";
import { restartMidSessions, type RestartFacts } from "./harness/restart-scenario.ts";
import { nodeCrashMidSession, CRASH_AFTER_TOKENS, type CrashFacts } from "./harness/crash-scenario.ts";
import { rpcPrimaryFailsMidRun, type FailoverFacts } from "./harness/failover-scenario.ts";
import type { RpcProxy } from "../integration/chain/fixtures/rpc-proxy.ts";
import type { ChatOutcome } from "./harness/clients.ts";

/** Answers of exactly one checkpoint: every token a client received is provable, whenever the host acts. */
const NODE_ENV = { SIM_TOKENS_PER_PROMPT: "100", SIM_TOKEN_DELAY_MS: "3" };
/**
 * How long a live node gets before the CLI proves in its place. Well above what the node stand-in needs here (one
 * proof a second per session, by the contract's rate rule): a CLI that steps in while a slow but live node still has
 * checkpoints queued makes both sets of proofs land, which is not what these scenarios are about.
 */
const GRACE_SECONDS = 10;
const SETUP_MS = 60_000;

/** A scenario's host: set up through the binary, left on disk after `stop` for the scans, removed at the end. */
function scenarioHost(options: Partial<Parameters<typeof prepareHost>[0]> = {}) {
  const state: { host?: PreparedHost; processes?: HostProcesses } = {};
  return {
    state,
    async prepare(): Promise<{ host: PreparedHost; processes: HostProcesses }> {
      state.host = await prepareHost({ binary: await compiledBinary(), retainFiles: true, graceSeconds: GRACE_SECONDS, nodeEnv: NODE_ENV, ...options });
      state.processes = new HostProcesses(state.host);
      return state as { host: PreparedHost; processes: HostProcesses };
    },
    async cleanUp() {
      await state.host?.stop();
      if (state.host) rmSync(state.host.scratch, { recursive: true, force: true });
    },
  };
}

/** The chain's verdict on a set of sessions, asserted the same way in every scenario. */
function expectSettledExactlyOnce(verdict: SettlementVerdict) {
  expect(verdict.duplicateProofs).toEqual([]);
  expect(verdict.foreignProofs).toEqual([]);
  for (const job of verdict.jobs) {
    const { min, max } = provableRange(job.served);
    // The job, what was served and what was proven are in the failure message.
    const seen = { job: job.jobId, served: job.served, proven: job.proven };
    expect({ ...seen, completed: job.status === 1, claimsAddUp: job.claimed === job.proven, withinProvable: job.proven >= min && job.proven <= max }).toEqual({
      ...seen,
      completed: true,
      claimsAddUp: true,
      withinProvable: true,
    });
  }
  expect(verdict.credited).toEqual(verdict.expectedCredited);
  for (const token of ["ETH", "USDC"]) expect(verdict.credited[token] ?? 0n).toBeGreaterThan(0n);
}

async function expectNoSecretsAndNoSurvivors(host: PreparedHost, processes: HostProcesses) {
  const scan = scanForSecrets(
    host.home,
    host.address,
    host.passwordFile,
    host.history.map((run) => run.stdout + run.stderr),
  );
  expect(scan.files).toBeGreaterThan(5);
  expect(scan.leaks).toEqual([]);
  expect(host.runs.stop?.code).toBe(0);
  expect(host.pidRecord()).toBeUndefined();
  // `stop` returns once the PID file is gone; the daemon may take a moment more to exit.
  await waitUntil("every daemon and node to exit", () => processes.survivors().length === 0, 5_000).catch(() => undefined);
  expect(processes.survivors()).toEqual([]);
  expect(processes.all.length).toBeGreaterThan(1);
}

const served = (outcomes: ChatOutcome[]) =>
  outcomes.map((o) => ({ completed: o.completed, answered: o.answered, tokens: o.tokens, closeCode: o.closeCode, error: o.error }));

describe("a host restarted in the middle of sessions", () => {
  const scenario = scenarioHost();
  let facts: RestartFacts;
  let verdict: SettlementVerdict;

  beforeAll(async () => {
    const { host, processes } = await scenario.prepare();
    await withLogsOnFailure(host, async () => {
      facts = await restartMidSessions(host, processes);
      const all = [facts.graceful, facts.killed].flatMap((round) => [...round.interrupted, ...round.reconnected]);
      verdict = await judgeSettlement(host.deployment, host.address, all);
      await host.cli(["stop"], { name: "stop" });
    });
  }, SETUP_MS + 120_000);
  afterAll(() => scenario.cleanUp(), 30_000);

  test("`restart` drained: the open sessions ran to their end, a client arriving meanwhile got in once the new host served", () => {
    const { graceful } = facts;
    expect(graceful.command.code).toBe(0);
    expect(graceful.sawDraining).toBe(true);
    expect(graceful.after.pid).not.toBe(graceful.before.pid);
    expect(served(graceful.interrupted)).toEqual(
      graceful.interrupted.map(() => ({ completed: true, answered: 3, tokens: 300, closeCode: undefined, error: undefined })),
    );
    expect(served(graceful.reconnected)).toEqual(
      graceful.reconnected.map(() => ({ completed: true, answered: 2, tokens: 200, closeCode: undefined, error: undefined })),
    );
  }, 15_000);

  test("SIGKILL: the clients' sockets dropped, the next start stopped the orphaned node, and reconnecting clients were served", () => {
    const { killed } = facts;
    expect(killed.interrupted.map((o) => ({ answered: o.answered, tokens: o.tokens, closed: o.closeCode !== undefined && !o.completed }))).toEqual(
      killed.interrupted.map(() => ({ answered: 1, tokens: 100, closed: true })),
    );
    expect(killed.command.code).toBe(0);
    expect(killed.after.pid).not.toBe(killed.before.pid);
    expect(killed.after.node?.pid).not.toBe(killed.before.node?.pid);
    expect(scenario.state.processes!.survivors()).not.toContain(killed.before.node!.pid);
    expect(served(killed.reconnected)).toEqual(
      killed.reconnected.map(() => ({ completed: true, answered: 2, tokens: 200, closeCode: undefined, error: undefined })),
    );
  }, 15_000);

  test("every session settled on chain, every token served proven exactly once, HostEarnings credited", () => {
    expectSettledExactlyOnce(verdict);
    // One-checkpoint answers: nothing served is below the proof minimum, so everything served is proven.
    expect(verdict.jobs.map((j) => j.proven)).toEqual(verdict.jobs.map((j) => j.served));
  }, 15_000);

  test(
    "nothing written holds the key or the password, and no process outlived stop",
    () => expectNoSecretsAndNoSurvivors(scenario.state.host!, scenario.state.processes!),
    15_000,
  );
});

describe("the node crashing during a session", () => {
  const scenario = scenarioHost({ nodeEnv: { ...NODE_ENV, SIM_CRASH_AFTER_TOKENS: String(CRASH_AFTER_TOKENS) } });
  let facts: CrashFacts;
  let verdict: SettlementVerdict;

  beforeAll(async () => {
    const { host, processes } = await scenario.prepare();
    await withLogsOnFailure(host, async () => {
      facts = await nodeCrashMidSession(host, processes);
      verdict = await judgeSettlement(host.deployment, host.address, [...facts.crashed, ...facts.afterRestart]);
      await host.cli(["stop"], { name: "stop" });
    });
  }, SETUP_MS + 90_000);
  afterAll(() => scenario.cleanUp(), 30_000);

  test("the clients' sockets were closed with 1012 mid-answer and the supervisor started a new node", () => {
    expect(facts.nodeLog).toContain("panicked");
    for (const outcome of facts.crashed)
      expect({ completed: outcome.completed, closeCode: outcome.closeCode, error: outcome.error }).toEqual({
        completed: false,
        closeCode: 1012,
        error: undefined,
      });
    const received = facts.crashed.reduce((sum, o) => sum + o.tokens, 0);
    expect(received).toBeGreaterThan(CRASH_AFTER_TOKENS - 20);
    expect(received).toBeLessThanOrEqual(CRASH_AFTER_TOKENS);
    expect(facts.afterCrash.pid).toBe(facts.before.pid);
    expect(facts.afterCrash.node!.pid).not.toBe(facts.before.node!.pid);
    expect(facts.metrics.fabstir_host_node_restarts_total).toBeGreaterThanOrEqual(1);
    expect(facts.metrics.fabstir_host_node_up).toBe(1);
  }, 15_000);

  test("a new session on the new node was served in full", () => {
    expect(served(facts.afterRestart)).toEqual([{ completed: true, answered: 2, tokens: 200, closeCode: undefined, error: undefined }]);
  }, 15_000);

  test("what the dead node served was proven and settled by the CLI's safety net, exactly once, and paid", () => {
    expectSettledExactlyOnce(verdict);
    const byCli = cliActions(scenario.state.host!.home);
    for (const outcome of facts.crashed)
      expect({ job: outcome.jobId, settledByCli: byCli.settled.has(outcome.jobId) }).toEqual({ job: outcome.jobId, settledByCli: true });
  }, 15_000);

  test(
    "nothing written holds the key or the password, and no process outlived stop",
    () => expectNoSecretsAndNoSurvivors(scenario.state.host!, scenario.state.processes!),
    15_000,
  );
});

describe("the RPC primary failing mid-run", () => {
  const scenario = scenarioHost();
  const keep: { proxy?: RpcProxy } = {};
  let facts: FailoverFacts;
  let verdict: SettlementVerdict;

  beforeAll(async () => {
    const { host, processes } = await scenario.prepare();
    await withLogsOnFailure(host, async () => {
      facts = await rpcPrimaryFailsMidRun(host, processes, keep);
      verdict = await judgeSettlement(host.deployment, host.address, [...facts.firstWave, ...facts.secondWave]);
      await host.cli(["stop"], { name: "stop" });
    });
  }, SETUP_MS + 120_000);
  afterAll(async () => {
    await keep.proxy?.close();
    await scenario.cleanUp();
  }, 30_000);

  test("the host used the primary, then went round it once it failed, and every client was served", () => {
    expect(facts.primaryCallsBefore).toBeGreaterThan(0);
    expect(facts.primaryRequestsWhileFailing).toBeGreaterThan(0);
    expect(served([...facts.firstWave, ...facts.secondWave]).every((o) => o.completed && !o.error)).toBe(true);
  }, 15_000);

  test("sessions were proven and settled through the fallback, exactly once, and paid", () => {
    expectSettledExactlyOnce(verdict);
    expect(verdict.jobs.map((j) => j.proven)).toEqual(verdict.jobs.map((j) => j.served));
    // The node knows only the primary: after it failed, the CLI did the work.
    const byCli = cliActions(scenario.state.host!.home);
    for (const { jobId } of facts.secondWave)
      expect({ job: jobId, provedByCli: byCli.proved.has(jobId), settledByCli: byCli.settled.has(jobId) }).toEqual({
        job: jobId,
        provedByCli: true,
        settledByCli: true,
      });
  }, 15_000);

  test("`status --json` answered while the primary was down", () => {
    expect(facts.status.code).toBe(0);
    const status = JSON.parse(facts.status.stdout);
    expect(status.ok).toBe(true);
    expect(JSON.stringify(status.data)).toContain(scenario.state.host!.address);
  }, 15_000);

  // Known gap: the daemon's RPC pool counts its failures and failovers, but nothing reports them to the metrics
  // (no rpc_error / rpc_failover event is ever emitted), so both counters stay absent. When that is wired up this
  // test starts failing as "passed unexpectedly": turn it into a plain test.
  test("the metrics endpoint counted the RPC errors and the failovers", () => {
    expect(facts.metrics.fabstir_host_rpc_errors_total ?? 0).toBeGreaterThan(0);
    expect(facts.metrics.fabstir_host_rpc_failovers_total ?? 0).toBeGreaterThan(0);
  }, 15_000);

  test(
    "nothing written holds the key or the password, and no process outlived stop",
    () => expectNoSecretsAndNoSurvivors(scenario.state.host!, scenario.state.processes!),
    15_000,
  );
});
