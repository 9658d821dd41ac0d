import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ProofPipeline, type PipelineMetric } from "../../../src/proof/pipeline.ts";
import { ProofJournal } from "../../../src/proof/journal.ts";
import { closed, opened, setup, tokens } from "./pipeline-harness.ts";

const hashOf = (jobId: string, tokens: number) => `0x${(Number(jobId) * 100_000 + tokens).toString(16).padStart(64, "0")}`;

/** The node's checkpoint index for one session (GET /v1/checkpoints/:id), in the node's shape and the older one. */
function nodeIndex(jobId: string, checkpoints: number[]) {
  const fetch = async () => {
    const body = checkpoints.map((tokens, index) => ({
      index,
      proofHash: hashOf(jobId, tokens),
      proof_hash: hashOf(jobId, tokens),
      deltaCid: "",
      tokens,
      tokenRange: [checkpoints[index - 1] ?? 0, tokens],
      timestamp: 0,
    }));
    return new Response(JSON.stringify({ sessionId: "s", jobId, checkpoints: body }), { status: 200 });
  };
  return { checkpoints, fetch };
}

describe("the proof pipeline (cli signer)", () => {
  test("a checkpoint is submitted exactly when the interval is reached, to the token", async () => {
    const t = setup();
    t.chain.open("1", { proofInterval: 250 });
    t.advance(10_000);
    t.feed([opened("s", "1"), tokens("s", 99)]);
    await t.settle();
    t.feed([tokens("s", 249)]);
    await t.settle();
    expect(t.chain.sent).toEqual([]);
    t.feed([tokens("s", 250)]);
    await t.settle();
    expect(t.chain.sent.map((s) => s.tokens)).toEqual([250]);
    t.feed([tokens("s", 499)]);
    await t.settle();
    expect(t.chain.sent.length).toBe(1);
  });

  test("the interval is never below 100 tokens", async () => {
    const t = setup();
    t.chain.open("2", { proofInterval: 10 });
    t.advance(10_000);
    t.feed([opened("s", "2"), tokens("s", 99)]);
    await t.settle();
    expect(t.chain.sent).toEqual([]);
    t.feed([tokens("s", 100)]);
    await t.settle();
    expect(t.chain.sent.map((s) => s.tokens)).toEqual([100]);
  });

  test("the rate rule is met by waiting, never by a revert", async () => {
    const t = setup();
    t.chain.open("3", { proofInterval: 100 });
    t.feed([opened("s", "3"), tokens("s", 4000)]); // needs 2 s since the session started
    await t.settle();
    expect(t.chain.sent).toEqual([]);
    t.advance(2000);
    await Bun.sleep(2100);
    await t.settle();
    expect(t.chain.sent.map((s) => s.tokens)).toEqual([4000]);
  });

  test("at the end the remainder is proven when ≥ 100, then the session is completed after the dispute window", async () => {
    const t = setup();
    t.chain.window = 0;
    t.chain.open("4", { proofInterval: 1000 });
    t.advance(10_000);
    t.feed([opened("s", "4"), tokens("s", 1000)]);
    await t.settle();
    t.feed([tokens("s", 1150), closed("s", 1150)]);
    await t.settle();
    t.advance(1000); // the second proof needs a second after the first
    await Bun.sleep(1100);
    await t.settle();
    expect(
      t.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`),
      JSON.stringify(t.pipeline.snapshot()),
    ).toEqual(["proof:1000", "proof:150", "complete:"]);
    expect(t.chain.sessions.get("4")).toMatchObject({ tokensUsed: 1150, status: "completed" });
  });

  test("a session ending below 100 unproven tokens after a proof is completed without another proof", async () => {
    const t = setup();
    t.chain.window = 0;
    t.chain.open("5");
    t.advance(10_000);
    t.feed([opened("s", "5"), tokens("s", 100)]);
    await t.settle();
    t.advance(1000);
    t.feed([tokens("s", 160), closed("s", 160)]);
    for (let i = 0; i < 5; i++) await t.settle();
    expect(t.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:100", "complete:"]);
  });

  test("minimum billing: a session that ends under its proofInterval is proven with one claim of the interval", async () => {
    const t = setup();
    t.chain.window = 0;
    t.chain.open("15", { proofInterval: 1000 });
    t.advance(10_000);
    t.feed([opened("s", "15"), tokens("s", 450), closed("s", 450)]);
    for (let i = 0; i < 5; i++) await t.settle();
    expect(t.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:1000", "complete:"]);
    const [record] = new ProofJournal(t.stateDir).loadFinished();
    expect(record!.minimumBilled).toMatchObject({ served: 450, billed: 1000 });
    expect(record!.proofs.map((p) => [p.tokens, p.padding])).toEqual([[1000, 550]]);
  });

  test("minimum billing waits for the rate rule and never claims past the deposit", async () => {
    const t = setup();
    t.chain.window = 0;
    // 5000 tokens need 3 s since the start; the deposit pays for 4000 (4 × 10^6 × 1000 / 1000 per token).
    t.chain.open("16", { proofInterval: 3000, deposit: 4_000_000n, pricePerToken: 1_000_000n });
    t.feed([opened("s", "16"), tokens("s", 10), closed("s", 10)]);
    await t.settle();
    expect(t.chain.sent).toEqual([]); // 3000 tokens need 2 s since the session started
    t.advance(2000);
    t.pipeline.kick("s");
    await t.until(() => t.chain.sent.some((s) => s.kind === "complete"));
    expect(t.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:3000", "complete:"]);
  });

  test("a padded first claim moves the later checkpoints: every served token is proven once, padding once", async () => {
    const t = setup();
    t.chain.window = 1000;
    t.chain.open("17", { proofInterval: 500 });
    t.advance(10_000);
    t.feed([opened("s", "17"), tokens("s", 200), closed("s", 200)]);
    for (let i = 0; i < 5; i++) await t.settle();
    expect(t.chain.sessions.get("17")?.tokensUsed).toBe(500);
    // The same session comes back (its record is reopened) and is served more: the chain's count runs 300 ahead of
    // the served one, so the next interval of 500 falls due at 700 served, not at 1000.
    t.advance(1000);
    t.feed([opened("s", "17"), tokens("s", 699)]);
    await t.settle();
    expect(t.chain.sent.map((s) => s.tokens)).toEqual([500]);
    t.feed([tokens("s", 700)]);
    for (let i = 0; i < 5; i++) await t.settle();
    expect(t.chain.sent.map((s) => s.tokens)).toEqual([500, 500]);
    expect(t.chain.sessions.get("17")?.tokensUsed).toBe(700 + 300);
  });

  test("no claim goes past what the deposit pays for", async () => {
    const t = setup();
    t.chain.window = 0;
    t.chain.open("18", { proofInterval: 100, deposit: 250n, pricePerToken: 1000n }); // pays for 250 tokens
    t.advance(10_000);
    t.feed([opened("s", "18"), tokens("s", 400), closed("s", 400)]);
    for (let i = 0; i < 5; i++) await t.settle();
    expect(t.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:250", "complete:"]);
  });

  test("a job of another host is left alone, with an alert", async () => {
    const t = setup();
    t.chain.open("6", { host: "0x00000000000000000000000000000000000000bb" });
    t.feed([opened("s", "6"), tokens("s", 500)]);
    await t.settle();
    expect(t.chain.sent).toEqual([]);
    expect(t.alerts[0]).toContain("another host");
  });

  test("transient failures retry; permanent ones stop with an alert and no loop", async () => {
    const t = setup();
    t.chain.open("7");
    t.advance(10_000);
    t.chain.failNext = ["fetch failed: ECONNREFUSED", "nonce too low"];
    t.feed([opened("s", "7"), tokens("s", 100)]);
    for (let i = 0; i < 10; i++) await t.settle();
    expect(t.chain.sent.map((s) => s.tokens)).toEqual([100]);

    t.chain.open("8");
    t.advance(2000);
    t.chain.failNext = ["execution reverted: Not host"];
    t.feed([opened("s8", "8"), tokens("s8", 100)]);
    for (let i = 0; i < 5; i++) await t.settle();
    expect(t.chain.sent.filter((s) => s.jobId === "8")).toEqual([]);
    expect(t.alerts.some((a) => a.includes("Not host"))).toBe(true);
  });
});

describe("the proof pipeline (node signer)", () => {
  /** 300 tokens served under proofInterval 1,000; the node proves `claims` and completes the job; the metrics it left. */
  async function settledByNode(jobId: string, claims: number[]) {
    const metrics: PipelineMetric[] = [];
    const t = setup({ signer: "node", graceMs: 60_000, onMetric: (m) => metrics.push(m) });
    t.chain.open(jobId, { proofInterval: 1000 });
    t.advance(10_000);
    t.feed([opened("s", jobId), tokens("s", 300), closed("s", 300)]);
    await t.settle();
    for (const claim of claims) t.chain.nodeProves(jobId, claim);
    t.chain.sessions.get(jobId)!.status = "completed";
    t.pipeline.kick("s");
    await t.until(() => metrics.some((m) => m.type === "settled"));
    return { t, metrics };
  }

  test("a session the node billed beyond what was served is reported when it settles, once", async () => {
    // The node's padded first checkpoint (1,000), then 200 more counted from what it generated.
    const { t, metrics } = await settledByNode("21", [1000, 200]);
    expect(metrics.filter((m) => m.type === "settled")).toEqual([{ type: "settled", jobId: "21", by: "other", kind: "completed" }]);
    expect(metrics.filter((m) => m.type === "over_billed")).toEqual([{ type: "over_billed", jobId: "21", tokens: 200 }]);
    expect(t.chain.sent).toEqual([]);
  });

  test("minimum billing alone is not over-billing", async () => {
    const { metrics } = await settledByNode("22", [1000]);
    expect(metrics.filter((m) => m.type === "settled")).toEqual([{ type: "settled", jobId: "22", by: "other", kind: "completed" }]);
    expect(metrics.filter((m) => m.type === "over_billed")).toEqual([]);
  });

  test("the node gets a grace period; a proof it made is recognised, not repeated", async () => {
    const t = setup({ signer: "node", graceMs: 200 });
    t.chain.open("9");
    t.advance(10_000);
    t.feed([opened("s", "9"), tokens("s", 100)]);
    await t.settle();
    t.chain.nodeProves("9", 100);
    await Bun.sleep(250);
    await t.settle();
    expect(t.chain.sent).toEqual([]);
  });

  test("a reloaded grace period applies from the next check", async () => {
    const node = nodeIndex("14", [300]);
    const t = setup({ signer: "node", graceMs: 60_000, fetch: node.fetch });
    t.chain.open("14");
    t.advance(10_000);
    t.feed([opened("s", "14"), tokens("s", 300)]);
    await t.settle();
    expect(t.chain.sent).toEqual([]);
    t.pipeline.setGraceMs(50);
    await Bun.sleep(80);
    t.pipeline.kick("s");
    await t.settle();
    expect(t.chain.sent.map((s) => s.tokens)).toEqual([300]);
  });

  test("when the node misses a due checkpoint past the grace period, the CLI submits the node's own checkpoint, once", async () => {
    const node = nodeIndex("10", [300]);
    const t = setup({ signer: "node", graceMs: 100, fetch: node.fetch });
    t.chain.open("10");
    t.advance(10_000);
    t.feed([opened("s", "10"), tokens("s", 300)]);
    await t.settle();
    expect(t.chain.sent).toEqual([]);
    t.advance(150); // past the grace
    t.pipeline.kick("s");
    await t.until(() => t.chain.sent.length > 0);
    expect(t.chain.sent.map((s) => [s.tokens, s.material?.proofHash])).toEqual([[300, hashOf("10", 300)]]);
    // The node's own submission of that checkpoint, landing late, is refused on chain: no token billed twice.
    expect(() => t.chain.nodeProves("10", 300, hashOf("10", 300))).toThrow("Proof already used");
  });

  test("while the node knows the session, the CLI never makes up a proof; the node proves late, once", async () => {
    // The node checkpoints every 1000 tokens (fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:25), the
    // session's proofInterval is 100: claims the CLI could make are due long before the node has a checkpoint.
    const node = nodeIndex("19", []);
    const t = setup({ signer: "node", graceMs: 100, fetch: node.fetch });
    t.chain.window = 0;
    t.chain.open("19", { proofInterval: 100 });
    t.advance(10_000);
    t.feed([opened("s", "19"), tokens("s", 500)]);
    for (let i = 0; i < 3; i++) {
      t.advance(1000); // the node's grace is long over
      t.pipeline.kick("s");
      for (let j = 0; j < 5; j++) await t.settle();
    }
    expect(t.chain.sent).toEqual([]);
    // The node proves its checkpoint of 1000, late; then the session ends with a tail of 50 the node leaves unproven.
    t.feed([tokens("s", 1050)]);
    node.checkpoints.push(1000);
    t.chain.nodeProves("19", 1000, hashOf("19", 1000));
    t.feed([closed("s", 1050)]);
    t.advance(7000); // past the node's own completion time (dispute window + 5 s)
    t.pipeline.kick("s");
    await t.until(() => t.chain.sent.length > 0);
    expect(t.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["complete:"]);
    expect(t.chain.sessions.get("19")?.tokensUsed).toBe(1000);
  });

  test("a node that no longer knows an ended session (restarted, index lost) leaves it to the CLI after the grace", async () => {
    const t = setup({ signer: "node", graceMs: 100 });
    t.chain.window = 0;
    t.chain.open("20", { proofInterval: 100 });
    t.advance(10_000);
    t.feed([opened("s", "20"), tokens("s", 350), closed("s", 350)]);
    // The node does not answer for it: once, then again a grace later (it is gone), and the CLI proves.
    for (let i = 0; i < 2; i++) {
      t.advance(1000);
      t.pipeline.kick("s");
      for (let j = 0; j < 5; j++) await t.settle();
    }
    await t.until(() => t.chain.sent.length > 0);
    t.advance(6000); // past the node's own completion time (dispute window + 5 s)
    t.pipeline.kick("s");
    await t.until(() => t.chain.sent.some((s) => s.kind === "complete"));
    expect(t.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:350", "complete:"]);
  });

  test("a session someone else completed meanwhile is not completed again: the chain is read before sending", async () => {
    const t = setup();
    t.chain.window = 2;
    t.chain.open("21", { proofInterval: 100 });
    t.advance(10_000);
    t.feed([opened("s", "21"), tokens("s", 100), closed("s", 100)]);
    for (let i = 0; i < 3; i++) await t.settle();
    expect(t.chain.sent.map((s) => s.kind)).toEqual(["proof"]);
    t.chain.sessions.get("21")!.status = "completed"; // the client (or the node) completed it
    t.advance(2000); // the dispute window passed
    t.pipeline.kick("s");
    await t.until(() => t.pipeline.snapshot().length === 0);
    expect(t.chain.sent.map((s) => s.kind)).toEqual(["proof"]);
    expect(t.pipeline.snapshot()).toEqual([]);
  });

  test("a node that died with a short session: the CLI bills it one interval (minimum billing), as the node would have", async () => {
    const t = setup({ signer: "node", graceMs: 60_000 });
    t.chain.window = 0;
    t.chain.open("22", { proofInterval: 400 });
    t.advance(10_000);
    t.feed([opened("s", "22"), tokens("s", 60), closed("s", 60, "node_closed")]);
    await t.until(() => t.chain.sent.some((s) => s.kind === "complete"));
    expect(t.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:400", "complete:"]);
  });

  test("a node that died with the session leaves nothing unpaid: the CLI proves and settles at once", async () => {
    const t = setup({ signer: "node", graceMs: 60_000 });
    t.chain.window = 0;
    t.chain.open("11");
    t.advance(10_000);
    t.feed([opened("s", "11"), tokens("s", 170), closed("s", 170, "node_closed")]);
    for (let i = 0; i < 5; i++) await t.settle();
    expect(t.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:170", "complete:"]);
  });
});

describe("recovery", () => {
  test("after a crash the journal and the chain rebuild every session; nothing is sent twice", async () => {
    const first = setup();
    first.chain.window = 0;
    first.chain.open("12");
    first.advance(10_000);
    first.feed([opened("s", "12"), tokens("s", 100)]);
    await first.settle();
    first.feed([tokens("s", 180)]); // journaled, not yet due
    await first.settle();
    // "kill -9": a new pipeline on the same journal and the same chain.
    const second = new ProofPipeline({ ...first.options, journal: new ProofJournal(first.stateDir) });
    expect(await second.recover()).toBe(1);
    for (let i = 0; i < 5; i++) await first.settle();
    expect(first.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:100"]);
    // The client may resume the session: it is settled only once it did not come back within the wait (5 s here).
    first.advance(5000);
    second.kick("s");
    for (let i = 0; i < 5; i++) await first.settle();
    expect(first.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:100", "complete:"]);
    expect(first.chain.sessions.get("12")?.status).toBe("completed");
  });

  test("a kill between two records loses no token: the count file written every 100 ms carries them", async () => {
    const first = setup();
    first.chain.window = 0;
    first.chain.open("14", { proofInterval: 200 });
    first.advance(10_000);
    first.feed([opened("s", "14"), tokens("s", 200)]);
    await first.settle();
    first.feed([tokens("s", 350)]);
    await Bun.sleep(250);
    // The record says 200 (rewritten at the proof, then at most once a second); the count file already says 350.
    const record = JSON.parse(readFileSync(join(first.stateDir, "proofs", "active", "s.json"), "utf8"));
    expect(record.generated).toBe(200);
    expect(readFileSync(join(first.stateDir, "proofs", "active", "s.count"), "utf8").trim()).toBe("350");
    // "kill -9", then a new pipeline on the same journal: the last 150 served tokens are proven too (from the
    // record alone nothing would remain to prove), and the session is settled.
    first.pipeline.stop_();
    first.advance(2000);
    const second = new ProofPipeline({ ...first.options, journal: new ProofJournal(first.stateDir) });
    expect(await second.recover()).toBe(1);
    for (let i = 0; i < 10; i++) await first.settle();
    expect(first.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:200", "proof:150"]);
    first.advance(5000); // the client did not resume the session within the wait
    second.kick("s");
    for (let i = 0; i < 10; i++) await first.settle();
    expect(first.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:200", "proof:150", "complete:"]);
    // A finished session leaves no count file behind.
    expect(readdirSync(join(first.stateDir, "proofs", "active"))).toEqual([]);
    second.stop_();
  });

  test("active jobs of this host unknown to the journal are found on chain and settled", async () => {
    const t = setup();
    t.chain.window = 0;
    t.chain.open("13", { tokensUsed: 300 });
    t.advance(10_000);
    await t.pipeline.recover();
    for (let i = 0; i < 5; i++) await t.settle();
    expect(t.chain.sent.map((s) => s.kind)).toEqual(["complete"]);
  });
});

describe("a session that comes back", () => {
  test("after a host restart the resumed session is reopened, counted on top, proven in full and settled once", async () => {
    const first = setup();
    first.chain.window = 0;
    first.chain.open("30", { proofInterval: 100 });
    first.advance(10_000);
    first.feed([opened("s", "30"), tokens("s", 600)]);
    await first.settle();
    first.feed([tokens("s", 750)]); // the client saw 750; 600 are proven
    first.pipeline.stop_();
    // "kill -9" and `start --daemon`: a new pipeline, a new monitor that counts the resumed session from 0.
    const second = new ProofPipeline({ ...first.options, journal: new ProofJournal(first.stateDir) });
    expect(await second.recover()).toBe(1);
    first.advance(1000);
    second.kick("s");
    await first.until(() => first.chain.sent.length >= 2);
    expect(first.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:600", "proof:150"]);
    // The client comes back within the wait, on the same job, and gets 400 more tokens.
    second.handle(opened("s", "30"));
    second.handle(tokens("s", 400));
    first.advance(1000);
    second.kick("s");
    await first.until(() => first.chain.sent.length >= 3);
    expect(first.chain.sessions.get("30")).toMatchObject({ tokensUsed: 750 + 400, status: "active" });
    first.advance(10_000); // long past the wait: a resumed session is not settled while it is open
    second.kick("s");
    for (let i = 0; i < 5; i++) await first.settle();
    expect(first.chain.sessions.get("30")?.status).toBe("active");
    second.handle(closed("s", 450));
    first.advance(1000);
    await first.until(() => first.chain.sent.some((s) => s.kind === "complete"));
    // 50 more, under the contract's minimum: not provable, and the session is settled once.
    expect(first.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:600", "proof:150", "proof:400", "complete:"]);
    expect(first.chain.sessions.get("30")).toMatchObject({ tokensUsed: 1150, status: "completed" });
    const [record] = new ProofJournal(first.stateDir).loadFinished();
    expect([record!.generated, record!.resumed]).toEqual([1200, 1]);
    second.stop_();
  });

  test("a socket that closed and a session_init on a new one (same process): the count goes on, nothing twice", async () => {
    const t = setup();
    t.chain.window = 2;
    t.chain.open("31", { proofInterval: 100 });
    t.advance(10_000);
    t.feed([opened("s", "31"), tokens("s", 250), closed("s", 250)]);
    for (let i = 0; i < 3; i++) await t.settle();
    // The monitor of this process goes on from its total of 250.
    t.feed([opened("s", "31"), tokens("s", 420)]);
    t.advance(1000);
    t.pipeline.kick("s");
    await t.until(() => t.chain.sent.length >= 2);
    t.feed([closed("s", 420)]);
    t.advance(3000);
    t.pipeline.kick("s");
    await t.until(() => t.chain.sent.some((s) => s.kind === "complete"));
    // 250 at the first close (the whole remainder), 100 while resumed; a tail of 70 is under the minimum.
    expect(t.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:250", "proof:100", "complete:"]);
    expect(t.chain.sessions.get("31")).toMatchObject({ tokensUsed: 350, status: "completed" });
  });

  test("node mode: after a restart the CLI proves what the old node served; the new node's checkpoints count from 0", async () => {
    const node = nodeIndex("32", []);
    const first = setup({ signer: "node", graceMs: 100, fetch: node.fetch });
    first.chain.window = 0;
    first.chain.open("32", { proofInterval: 100 });
    first.advance(10_000);
    first.feed([opened("s", "32"), tokens("s", 750)]);
    first.chain.nodeProves("32", 600, "0xold600"); // the old node proved 600 of the 750 the client saw
    await first.settle();
    first.pipeline.stop_();
    const second = new ProofPipeline({ ...first.options, journal: new ProofJournal(first.stateDir) });
    expect(await second.recover()).toBe(1);
    second.handle(opened("s", "32")); // the client is back at once, on the new node
    first.advance(1000);
    second.kick("s");
    await first.until(() => first.chain.sent.length > 0);
    // The 150 the old node left are the CLI's (the new node never saw them), with a hash of the CLI's own.
    expect(first.chain.sent.map((s) => `${s.kind}:${s.tokens ?? ""}`)).toEqual(["proof:150"]);
    // The new node serves 250 more; it proves its checkpoint at 100 itself and misses the one at 200.
    second.handle(tokens("s", 250));
    node.checkpoints.push(100, 200);
    first.chain.nodeProves("32", 100, hashOf("32", 100));
    first.advance(1000);
    second.kick("s");
    for (let i = 0; i < 3; i++) await first.settle();
    first.advance(1000); // past the node's grace (100 ms)
    second.kick("s");
    await first.until(() => first.chain.sent.length > 1);
    expect(first.chain.sent.map((s) => [s.tokens, s.material?.proofHash])).toEqual([
      [150, first.chain.sent[0]!.material!.proofHash],
      [100, hashOf("32", 200)],
    ]);
    expect(first.chain.sessions.get("32")?.tokensUsed).toBe(950); // 1000 served, a tail of 50 under the minimum
    second.stop_();
  });

  test("node mode: a new node's checkpoint whose hash the old node already spent is proven with the CLI's own material", async () => {
    // The stand-in derives a checkpoint's hash from the session and its own count: the new node's checkpoint at 100
    // repeats the hash the old node proved its 100 with, and the chain refuses both the node's proof and ours with it.
    const node = nodeIndex("33", []);
    const first = setup({ signer: "node", graceMs: 100, fetch: node.fetch });
    first.chain.window = 0;
    first.chain.open("33", { proofInterval: 100 });
    first.advance(10_000);
    first.feed([opened("s", "33"), tokens("s", 100)]);
    first.chain.nodeProves("33", 100, hashOf("33", 100));
    await first.settle();
    first.pipeline.stop_();
    const second = new ProofPipeline({ ...first.options, journal: new ProofJournal(first.stateDir) });
    await second.recover();
    second.handle(opened("s", "33"));
    second.handle(tokens("s", 100));
    node.checkpoints.push(100);
    expect(() => first.chain.nodeProves("33", 100, hashOf("33", 100))).toThrow("Proof already used");
    // Past the node's grace, the CLI tries the node's checkpoint, is refused, and proves it with its own material.
    for (let round = 0; round < 3 && first.chain.sessions.get("33")!.tokensUsed < 200; round++) {
      first.advance(1000);
      second.kick("s");
      await first.until(() => first.chain.sessions.get("33")!.tokensUsed >= 200);
    }
    expect(first.chain.sessions.get("33")?.tokensUsed).toBe(200);
    expect(first.chain.sent.map((s) => s.material?.proofHash === hashOf("33", 100))).toEqual([false]);
    second.stop_();
  });
});
