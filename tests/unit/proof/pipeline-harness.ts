/** A pipeline on the in-memory chain with a clock the test moves (shared by the pipeline's unit tests). */
import { realAfter, realEvery } from "../../../src/util/clock.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProofPipeline, type PipelineOptions } from "../../../src/proof/pipeline.ts";
import { ProofJournal } from "../../../src/proof/journal.ts";
import { createNullLogger } from "../../../src/ops/logging/logger.ts";
import { FakeChain } from "./fake-chain.ts";
import type { SessionEvent } from "../../../src/session/monitor.ts";

export function setup(overrides: Partial<PipelineOptions> = {}) {
  const chain = new FakeChain();
  const stateDir = mkdtempSync(join(tmpdir(), "proofs-"));
  // Real time passes (timers are real), and `advance` jumps ahead on top of it, for our clock and the chain's alike.
  const started = performance.now();
  let jumped = 0;
  const clock = { now: () => 1_000_000_000 + Math.floor(performance.now() - started) + jumped, sleep: async () => {}, every: realEvery, after: realAfter };
  const alerts: string[] = [];
  const options: PipelineOptions = {
    chain,
    journal: new ProofJournal(stateDir),
    signer: "cli",
    graceMs: 5000,
    nodeUrl: "http://127.0.0.1:9",
    fetch: async () => new Response("{}", { status: 404 }),
    clock,
    logger: createNullLogger(),
    backoffMs: { base: 1, max: 5 },
    onAlert: (_kind, message) => alerts.push(message),
    ...overrides,
  };
  const pipeline = new ProofPipeline(options);
  const advance = (ms: number) => {
    jumped += ms;
    chain.time += Math.floor(ms / 1000);
  };
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Bun.sleep(1);
  };
  const feed = (events: SessionEvent[]) => events.forEach((e) => pipeline.handle(e));
  /** Lets the pipeline run until `done` holds (or it has had ample turns: the assertion after it then says why). */
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 100 && !done(); i++) await settle();
  };
  return { chain, pipeline, advance, settle, until, feed, alerts, stateDir, options, clock };
}

export const opened = (sessionId: string, jobId: string): SessionEvent => ({ type: "session_opened", sessionId, jobId, encrypted: false, at: 0 });
export const tokens = (sessionId: string, total: number): SessionEvent => ({ type: "tokens", sessionId, total, at: 0 });
export const closed = (sessionId: string, total: number, reason: "client_closed" | "node_closed" = "client_closed"): SessionEvent => ({
  type: "session_closed",
  sessionId,
  total,
  reason,
  at: 0,
});
