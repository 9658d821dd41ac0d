/**
 * A host's whole life on one machine, driven through the compiled `fabstir-host` exactly as an operator runs it:
 * init → fund (the devnet's faucet) → models download → doctor → register → start --daemon → clients chat in ETH and
 * USDC through the public port (encrypted, with the SDK's session settings) → proofs and settlements land → status →
 * earnings → withdraw → stop.
 * The demo prints it; the end-to-end test asserts on every step. Everything it starts, it stops (unless `keep`).
 */
import type { Deployment } from "../devnet/types.ts";
import { runClientSessions, type ClientSessionResult } from "../devnet/client.ts";
import { prepareHost, type CommandRun, type PreparedHost, type StepRunner } from "./prepare-host.ts";
import { collectLogs, humanAmounts, readEarnings, waitForSettlement } from "./chain-facts.ts";

export type { CommandRun } from "./prepare-host.ts";

export interface JourneyOptions {
  binary: string;
  keep?: boolean;
  /** Leave the state directory (config, logs, keystore) for inspection; the caller removes `scratch`. */
  retainFiles?: boolean;
  /** Called after withdraw, while the devnet and the host still run (tests read chain state here). */
  beforeStop?: (facts: { deployment: Deployment; address: string; home: string }) => Promise<void>;
  /** Prompts per client session. */
  prompts?: number;
  onStep?: (step: StepReport) => void;
  /** Receives the stop of everything the journey starts, before it starts it (the demo's signal handler). */
  onStop?: (stop: () => Promise<void>) => void;
}

export interface StepReport {
  index: number;
  total: number;
  name: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

export interface JourneyResult {
  scratch: string;
  home: string;
  passwordFile: string;
  deployment: Deployment;
  address: string;
  runs: Record<string, CommandRun>;
  sessions: ClientSessionResult[];
  summary: {
    tokensServed: number;
    proofs: number;
    tokensProven: number;
    credited: Record<string, string>;
    withdrawn: Record<string, string>;
    gas: GasSummary | null;
    /** Per session: what it was billed (proven tokens, or the minimum) and credited. */
    billed: SessionBill[];
  };
  /** Kept running with `keep`: call to stop everything. */
  stop(): Promise<void>;
}

/**
 * The node's settings for the journey: a checkpoint every 1,000 tokens as on the real node (CHECKPOINT_THRESHOLD,
 * fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:25), and answers of 400 tokens, so that a session of three
 * prompts passes the SDK's proofInterval of 1,000 by itself: one whole checkpoint, then the 200-token rest at its end.
 */
export const JOURNEY_NODE_ENV: Record<string, string> = { SIM_CHECKPOINT_INTERVAL: "1000", SIM_TOKENS_PER_PROMPT: "400" };

const STEPS = [
  "devnet",
  "init",
  "faucet",
  "models download",
  "doctor",
  "register",
  "start --daemon",
  "client sessions",
  "proofs land",
  "status",
  "earnings",
  "withdraw",
  "stop",
];

export async function runJourney(options: JourneyOptions): Promise<JourneyResult> {
  let index = 0;
  const step: StepRunner = async (name, action, detail) => {
    index++;
    const started = performance.now();
    try {
      const value = await action();
      options.onStep?.({ index, total: STEPS.length, name, ok: true, ms: Math.round(performance.now() - started), detail: detail?.(value) });
      return value;
    } catch (error) {
      // ethers errors carry a short message; the long one repeats the whole transaction.
      const message = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message;
      options.onStep?.({ index, total: STEPS.length, name, ok: false, ms: Math.round(performance.now() - started), detail: message });
      throw error;
    }
  };

  // A failed set-up has already stopped what it started and carries the host's last log lines.
  const host: PreparedHost = await prepareHost({
    binary: options.binary,
    doctor: true,
    retainFiles: options.retainFiles,
    nodeEnv: JOURNEY_NODE_ENV,
    step,
    onStop: options.onStop,
  });
  const { deployment, address, home, runs, cli } = host;
  try {
    await step(
      "start --daemon",
      () => cli(["start", "--daemon", "--password-file", host.passwordFile], { name: "start" }),
      () => `public API on :${host.ports.api}, node on :${host.ports.internal}`,
    );

    const prompts = options.prompts ?? 3;
    const sessions = await step(
      "client sessions",
      () =>
        runClientSessions([
          { deployment, hostUrl: host.publicUrl, token: "ETH", prompts, modelIndex: 0, host: address },
          { deployment, hostUrl: host.publicUrl, token: "USDC", prompts, modelIndex: 1, host: address },
        ]),
      (list) => list.map((s) => `${s.token} job ${s.jobId}: ${s.tokens} tokens`).join("; "),
    );

    const chainFacts = await step(
      "proofs land",
      () =>
        waitForSettlement(
          deployment,
          sessions.map((s) => s.jobId),
        ),
      (f) => `${f.proofs} proofs for ${f.tokensProven} tokens; sessions settled`,
    );
    await step(
      "status",
      () => cli(["status", "--json"], { name: "status" }),
      (run) => (safeJson(run.stdout)?.ok ? "registered and serving" : "see output"),
    );
    const earnings = await step(
      "earnings",
      () => cli(["earnings", "--json"], { name: "earnings" }),
      (run) => {
        const gas = gasSummary(run.stdout);
        return gas
          ? `ledger rebuilt from chain events; gas ${gas.spentEth} ETH in ${gas.transactions} txs, net ${gas.netEth} ETH`
          : "ledger rebuilt from chain events";
      },
    );
    await step(
      "withdraw",
      () => cli(["withdraw", "--yes", "--token", "all", "--password-file", host.passwordFile], { name: "withdraw" }),
      () => "HostEarnings paid out to the host wallet",
    );
    const withdrawn = humanAmounts(await readEarnings(deployment, "withdrawn", address));
    await options.beforeStop?.({ deployment, address, home });
    if (!options.keep) {
      await step(
        "stop",
        () => cli(["stop"], { name: "stop" }),
        () => "daemon drained and stopped, node stopped",
      );
    }
    return {
      scratch: host.scratch,
      home,
      passwordFile: host.passwordFile,
      deployment,
      address,
      runs,
      sessions,
      summary: {
        tokensServed: sessions.reduce((sum, s) => sum + s.tokens, 0),
        proofs: chainFacts.proofs,
        tokensProven: chainFacts.tokensProven,
        credited: chainFacts.credited,
        withdrawn,
        gas: gasSummary(earnings.stdout),
        billed: sessionBills(earnings.stdout),
      },
      stop: host.stop,
    };
  } catch (error) {
    const logs = collectLogs(home);
    await host.stop();
    throw Object.assign(error as Error, { logs });
  } finally {
    // On success, the devnet and the model host stop here (the daemon already did); on failure it already ran.
    if (!options.keep) await host.stop().catch(() => {});
  }
}

/** What one session was billed, from `earnings --json` (the ledger: src/host/ledger/billing.ts). */
export interface SessionBill {
  jobId: string;
  token: string;
  tokensProved: string;
  /** tokens (what was proven), minimum (the session's proofInterval, the least a proven session pays), early-cancel. */
  billing: string | null;
  credited: string | null;
}

function sessionBills(stdout: string): SessionBill[] {
  const rows =
    (
      safeJson(stdout)?.data as
        | { sessions?: { jobId: string; token: string | null; tokensProved: string; billing: string | null; credited: { value: string } | null }[] }
        | undefined
    )?.sessions ?? [];
  return rows.map((row) => ({
    jobId: row.jobId,
    token: (row.token ?? "?").toUpperCase(),
    tokensProved: row.tokensProved,
    billing: row.billing,
    credited: row.credited?.value ?? null,
  }));
}

/** What the host's transactions cost and what it netted in ETH, from `earnings --json` (src/economics/net-earnings.ts). */
export interface GasSummary {
  spentEth: string;
  transactions: number;
  netEth: string;
}

function gasSummary(stdout: string): GasSummary | null {
  const totals = (safeJson(stdout)?.data as { net?: { totals?: { gas: { value: string }; transactions: number; netEth: { value: string } } } } | undefined)?.net
    ?.totals;
  return totals ? { spentEth: totals.gas.value, transactions: totals.transactions, netEth: totals.netEth.value } : null;
}

function safeJson(text: string): { ok?: boolean; data?: unknown } | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
