/**
 * Hostile clients mid-session, in both signer modes: bad JSON and malformed frames, token counts a client makes up, a
 * job id of another host's session (opened on chain for a different host account) sent through our front, and a
 * `session_end` naming someone else's session. Nothing is ever submitted for the foreign job, an alert names it, and
 * the honest session next to it is proven and settled as if nothing happened.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { openSession, registerHost, DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { FrameClient } from "../node-sim/harness.ts";
import { openClient, proofEvents, promptAll, readJob, simEnvFor, startInProcessHost, startProofDevnet, transactionsFrom, waitForJob, waitForSettlement, type ProofDevnet } from "./fixtures/devnet-host.ts";

let net: ProofDevnet;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  net = await startProofDevnet({ disputeWindow: 2 });
  // A second host on the network: the devnet's client account registers as one.
  await registerHost(net.devnet.deployment, net.devnet.provider, { account: net.devnet.deployment.accounts.client, apiUrl: "http://127.0.0.1:9" });
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await net?.stop();
});

const GARBAGE = [
  "{not json",
  "",
  "[]",
  "null",
  '{"type":"session_init"}',
  '{"type":"session_init","session_id":{"nested":true},"job_id":1}',
  '{"type":"session_init","session_id":"x","job_id":-5}',
  '{"type":"session_init","session_id":"y","job_id":"99999999999999999999999999999999999999999"}',
  '{"type":"stream_chunk","session_id":"victim","tokens":900000}',
  '{"type":"stream_end","session_id":"victim","tokens_used":900000}',
  '{"type":"prompt","session_id":"nobody","prompt":"hi"}',
  JSON.stringify({ type: "prompt", session_id: "x", prompt: "a".repeat(70_000) }),
];

for (const signer of ["cli", "node"] as const) {
  describe(`${signer} signer`, () => {
    test("a foreign job, garbage frames and someone else's session_end: nothing for the foreign job, an alert, the honest session intact", async () => {
      const host = await startInProcessHost(net, { signer, simEnv: simEnvFor(net, signer) });
      cleanups.push(() => host.stop());
      try {
        const { deployment } = net.devnet;
        const ours = await openSession(deployment, net.devnet.provider, { proofInterval: 100 });
        // A session on chain for the OTHER host, opened by a third account: its job id is sent through our front.
        const foreign = await openSession(deployment, net.devnet.provider, { account: deployment.accounts.deployer, host: deployment.accounts.client.address, proofInterval: 100 });
        const victimId = `victim-${signer}`;
        const victim = await openClient(host.services.front.port, victimId, { type: "session_init", job_id: Number(ours) });
        const tokensBefore = await promptAll(victim, victimId, [150]);

        const intruder = await openClient(host.services.front.port, `intruder-${signer}`, { type: "session_init", job_id: Number(foreign) });
        const intruderTokens = await promptAll(intruder, `intruder-${signer}`, [230]);
        const garbageFrom = intruder.frames.length;
        for (const frame of GARBAGE) intruder.send(frame.replace(/victim/g, victimId));
        for (const frame of GARBAGE.slice(0, 4)) victim.send(frame); // the honest client's own stray frames
        // The intruder tries to end the victim's session, then leaves. The real node has no handler for session_end and
        // answers no garbage (fabstir-llm-node@85a87b8 src/api/server.rs:2085-4240); the garbage prompt to "nobody" is
        // answered on the intruder's own session, and what comes while it streams is dropped (server.rs:3816-3842).
        intruder.send({ type: "session_end", session_id: victimId });
        await intruder.waitFor((f) => f.type === "stream_end", 5000, garbageFrom);
        await intruder.close();

        // The victim carries on, unaware, and is paid for all of it.
        const tokensAfter = await promptAll(victim, victimId, [260]);
        expect(host.services.monitor.session(victimId)?.closedAt).toBeUndefined();
        // Its whole intervals are proven while it is still open (had it been ended, its tail would be claimed too).
        await waitForJob(net, ours, (job) => job.tokensUsed === 400, 10_000);
        await victim.close();
        const job = await waitForSettlement(net, ours, 20_000);
        expect(job.status).toBe(1);
        expect(tokensBefore + tokensAfter).toBe(410);
        expect(job.tokensUsed).toBe(400);
        expect((await proofEvents(net, ours)).reduce((sum, e) => sum + e.tokens, 0)).toBe(job.tokensUsed);

        // The foreign job: untouched by us (no proof, no settlement, no transaction naming it), and an alert.
        await waitForJob(net, foreign, () => host.alerts.length > 0, 10_000).catch(() => undefined);
        expect(intruderTokens).toBe(230);
        expect(await proofEvents(net, foreign)).toEqual([]);
        expect((await readJob(net, foreign)).status).toBe(0);
        const sent = await transactionsFrom(net, deployment.accounts.host.address);
        expect(sent.filter((tx) => tx.jobId === foreign)).toEqual([]);
        expect(sent.filter((tx) => tx.status !== 1)).toEqual([]);
        // One alert for the foreign job. The real node acks every init, even one whose job id it cannot read (it acks
        // job_id null, fabstir-llm-node@85a87b8 src/api/server.rs:2122-2134, 2175-2187); the monitor takes the init's
        // own job id, so the garbage init naming job 9999… also becomes a session, refused by the chain check.
        const foreignAlerts = host.alerts.filter((alert) => alert.includes(`job ${foreign}`));
        expect(foreignAlerts).toHaveLength(1);
        expect(foreignAlerts[0]).toContain("belongs to another host");
        expect(host.alerts.filter((alert) => !foreignAlerts.includes(alert)).every((alert) => alert.includes("does not exist on this network"))).toBe(true);
      } finally {
        await host.stop();
      }
    }, 45_000);
  });
}

test("inits the node refuses never become sessions: nothing journaled, nothing polled", async () => {
  // The real node acks every init (fabstir-llm-node@85a87b8 src/api/server.rs:2115-2196); the stand-in's SIM_REJECT
  // plays a node that refuses them, each with an error.
  const host = await startInProcessHost(net, { signer: "cli", simEnv: simEnvFor(net, "cli", { SIM_REJECT: "1" }) });
  cleanups.push(() => host.stop());
  try {
    const flood = await FrameClient.connect(host.services.front.port);
    await flood.waitFor((f) => f.type === "connected");
    for (let i = 0; i < 40; i++) {
      const frames = [
        { type: "session_init", session_id: `flood-${i}-chain`, job_id: 1, chain_id: 1 },
        { type: "session_init", session_id: `flood-${i}-job`, job_id: "not-a-job" },
        { type: "session_init", session_id: `flood-${i}-neg`, job_id: -1 },
      ];
      for (const frame of frames) flood.send(frame);
    }
    await flood.waitFor(() => flood.framesOfType("error").length >= 120, 10_000);
    expect(flood.framesOfType("session_init_ack")).toEqual([]);
    await flood.close();
    await Bun.sleep(300);
    expect(host.services.pipeline.snapshot()).toEqual([]);
    expect(host.services.monitor.activeSessions()).toEqual([]);
    expect(readdirSync(join(host.stateDir, "proofs", "active"))).toEqual([]);
  } finally {
    await host.stop();
  }
}, 30_000);
