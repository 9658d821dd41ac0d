/**
 * kill -9 of the host process at random points, over and over: before, while and after proofs and settlements are
 * sent (random moments, and pauses at every step of the transaction journal), each time restarted on the same state
 * directory. The node stand-in (keyless, so only the host submits) outlives every restart. At the end, for every job:
 * each due proof on chain exactly once, nothing doubled, nothing lost, every session settled once, no reverted
 * transaction, nothing left unfinished on disk.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort } from "../../../scripts/devnet/anvil.ts";
import { mine, openSession, DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { startSim, type SimProcess } from "../node-sim/harness.ts";
import { simEnvFor, startProofDevnet, transactionsFrom, waitForSettlement, type ProofDevnet } from "./fixtures/devnet-host.ts";
import { startHostProcess, type HostProcess, type HostProcessOptions } from "./fixtures/host-runner.ts";
import { expectProvenExactlyOnce, nodeTokens, runClient, type ClientRun } from "./fixtures/sessions.ts";

const ITERATIONS = 24;
let net: ProofDevnet;
let sim: SimProcess & { port: number; baseUrl: string };
let stateDir: string;
let port: number;
let host: HostProcess | undefined;

beforeAll(async () => {
  net = await startProofDevnet({ disputeWindow: 1 });
  sim = await startSim(simEnvFor(net, "cli", { SIM_TOKENS_PER_PROMPT: "400", SIM_TOKEN_DELAY_MS: "1" }));
  stateDir = mkdtempSync(join(tmpdir(), "host-kill-loop-"));
  port = await findFreePort();
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await host?.kill();
  await sim?.kill();
  await net?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

/** A small seeded generator, so a failing run can be replayed with KILL_LOOP_SEED. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Step = NonNullable<HostProcessOptions["pauseAt"]>["step"];
/**
 * Where each run may be stopped: at a random moment, or at a journal step of the first proof or settlement it sends,
 * of this iteration's session (`job`) or of any (`any`: often one an earlier kill left behind, sent during recovery).
 */
const PAUSES: ({ step: Step; kind: "proof" | "complete"; of: "job" | "any" } | undefined)[] = [
  undefined,
  { step: "after-plan", kind: "proof", of: "job" },
  { step: "after-sign", kind: "proof", of: "job" },
  { step: "after-send", kind: "proof", of: "any" },
  undefined,
  { step: "after-mine", kind: "proof", of: "job" },
  { step: "after-plan", kind: "proof", of: "any" },
  { step: "after-sign", kind: "complete", of: "any" },
  undefined,
  { step: "after-send", kind: "proof", of: "job" },
  { step: "after-confirm", kind: "proof", of: "job" },
  { step: "after-plan", kind: "complete", of: "job" },
];

function startHost(pauseAt?: HostProcessOptions["pauseAt"]): Promise<HostProcess> {
  return startHostProcess({
    stateDir,
    port,
    nodeUrl: sim.baseUrl,
    deploymentFile: net.deploymentFile,
    hostKey: net.devnet.deployment.accounts.host.privateKey,
    pauseAt,
  });
}

/**
 * Unfinished proof records and transaction intents on disk, and the proof journal's temp files (kill -9 mid-write leaves
 * one; a restart sweeps them). The transaction journal's temp files are the chain layer's business and not counted.
 */
/** What the active files say, for a failure's message. */
function activeContents(): string {
  const tx = join(stateDir, "tx-journal");
  if (!existsSync(tx)) return "";
  return readdirSync(tx)
    .flatMap((dir) =>
      readdirSync(join(tx, dir, "active"))
        .filter((name) => name.endsWith(".json"))
        .map((name) => readFileSync(join(tx, dir, "active", name), "utf8")),
    )
    .join("\n");
}

function activeFiles(): string[] {
  const proofs = join(stateDir, "proofs", "active");
  const tx = join(stateDir, "tx-journal");
  return [
    ...(existsSync(proofs) ? readdirSync(proofs).map((name) => `proofs/${name}`) : []),
    ...(existsSync(tx)
      ? readdirSync(tx).flatMap((dir) =>
          readdirSync(join(tx, dir, "active"))
            .filter((name) => name.endsWith(".json"))
            .map((name) => `tx/${name}`),
        )
      : []),
  ];
}

test(`kill -9 of the host ${ITERATIONS} times at random points: every due proof once, every session settled`, async () => {
  const seed = Number(process.env.KILL_LOOP_SEED ?? Date.now() % 1_000_000);
  const rand = random(seed);
  const runs: { jobId: bigint; run: ClientRun }[] = [];
  const kills: string[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const pause = PAUSES[i % PAUSES.length];
    // The job is opened before the host (re)starts: its recovery finds it on chain, unknown to its journal, while the
    // client is about to use it.
    const jobId = await openSession(net.devnet.deployment, net.devnet.provider, { token: i % 3 === 2 ? "USDC" : "ETH", proofInterval: 100 });
    host = await startHost(
      pause && { step: pause.step, key: pause.of === "job" ? `${pause.kind}:${jobId}${pause.kind === "proof" ? ":" : ""}` : `${pause.kind}:` },
    );
    const plan = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => 30 + Math.floor(rand() * 320));
    const session = runClient(port, `kill-${seed}-${i}`, { type: "session_init", job_id: Number(jobId) }, plan);
    // At the pause (a step of the journal), or at a random moment from the first token to well after the session
    // ended (its settlement included).
    const delay = Math.floor(rand() * 2500);
    // A pause that never comes (nothing due for that step in this run) turns into a kill soon after the session.
    const moment = pause
      ? await Promise.race([
          host.waitFor(/PAUSED (\S+) (\S+)/, 8000).then(
            (m) => `${m[1]} ${m[2]}`,
            () => "no pause",
          ),
          session.then(() => Bun.sleep(delay / 2)).then(() => `no pause, ${delay / 2} ms after the session`),
        ])
      : await Bun.sleep(delay).then(() => `${delay} ms`);
    await host.kill();
    kills.push(`#${i} ${moment}`);
    runs.push({ jobId, run: (await session).run });
  }

  // A job whose client never reached the host before a kill has nothing proven: the host leaves it to its client or
  // to the timeout (proofTimeoutWindow 300 s), never completing it under a client about to connect. Chain time moves
  // past that window; then one last start, left alone, finishes what every killed one left behind.
  await mine(net.devnet.rpcUrl, 301);
  host = await startHost();
  const context = `seed ${seed}; kills: ${kills.join(", ")}`;
  try {
    for (const { jobId } of runs) await waitForSettlement(net, jobId, 30_000);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${context}\n${host.stdout()}\n${host.stderr().slice(-6000)}`);
  }
  for (const { jobId, run } of runs) {
    const generated = await nodeTokens(sim.baseUrl, run.sessionId);
    expect(run.received, context).toBeLessThanOrEqual(generated);
    // What is billed is what the client received (src/session/monitor.ts): the node may have generated a few tokens
    // more that died with the host before they reached the client.
    await expectProvenExactlyOnce(net, {
      jobId,
      interval: 100,
      generated: run.received,
      label: `job ${jobId} (${run.sessionId}, closed by ${run.closedBy}); ${context}`,
    });
  }
  const sent = await transactionsFrom(net, net.devnet.deployment.accounts.host.address);
  expect(
    sent.filter((tx) => tx.status !== 1),
    context,
  ).toEqual([]);
  // The last host may still be closing an intent a killed one journaled (its receipt, or dropping a claim the
  // settlement made moot) when the chain already shows everything settled: give it a few polls, not a fixed pause.
  const closeBy = Date.now() + 10_000;
  while (activeFiles().length > 0 && Date.now() < closeBy) await Bun.sleep(100);
  expect(activeFiles(), `${context}\n${activeContents()}\n${host.stderr().slice(-4000)}`).toEqual([]);
  expect(host.alerts(), context).toEqual([]);
}, 150_000);
