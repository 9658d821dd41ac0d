/**
 * Hostile clients mid-session, in both signer modes: bad JSON and malformed frames, token counts a client makes up, a
 * job id of another host's session (opened on chain for a different host account) sent through our front, and a
 * `session_end` naming someone else's session. The foreign job is refused at the front (the node never serves it),
 * nothing is ever submitted for it, one alert sums up the refusals, and the honest session next to it is proven and
 * settled as if nothing happened.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { openSession, registerHost } from "../../helpers/devnet.ts";
import { FrameClient } from "../node-sim/harness.ts";
import {
  openClient,
  proofEvents,
  promptAll,
  readJob,
  simEnvFor,
  startInProcessHost,
  proofDevnetHooks,
  transactionsFrom,
  waitForJob,
  waitForSettlement,
  type ProofDevnet,
} from "./fixtures/devnet-host.ts";

let net: ProofDevnet;
const cleanups = proofDevnetHooks({ disputeWindow: 2 }, async (started) => {
  net = started;
  // A second host on the network: the devnet's client account registers as one.
  await registerHost(net.devnet.deployment, net.devnet.provider, { account: net.devnet.deployment.accounts.client, apiUrl: "http://127.0.0.1:9" });
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
        const foreign = await openSession(deployment, net.devnet.provider, {
          account: deployment.accounts.deployer,
          host: deployment.accounts.client.address,
          proofInterval: 100,
        });
        const victimId = `victim-${signer}`;
        const victim = await openClient(host.services.front.port, victimId, { type: "session_init", job_id: Number(ours) });
        const tokensBefore = await promptAll(victim, victimId, [150]);

        // The foreign job is refused at the front: the node never serves it, nothing is recorded for it.
        const intruder = await FrameClient.connect(host.services.front.port);
        await intruder.waitFor((f) => f.type === "connected");
        intruder.send({ type: "session_init", session_id: `intruder-${signer}`, job_id: Number(foreign), chain_id: 31337 });
        expect(await intruder.waitFor((f) => f.type === "error")).toMatchObject({ code: "JOB_WRONG_HOST", session_id: `intruder-${signer}` });
        expect(await intruder.closed()).toBe(1008);
        // Back without an init: garbage, inits the front or the node refuses (each ends its socket), then an attempt
        // to end the victim's session.
        const garbage = GARBAGE.map((frame) => frame.replace(/victim/g, victimId));
        for (const frame of garbage.filter((f) => f.includes('"session_init"'))) {
          const once = await FrameClient.connect(host.services.front.port);
          await once.waitFor((f) => f.type === "connected");
          once.send(frame);
          await once.waitFor((f) => f.type === "error");
          await once.close();
        }
        const stranger = await FrameClient.connect(host.services.front.port);
        await stranger.waitFor((f) => f.type === "connected");
        for (const frame of garbage.filter((f) => !f.includes('"session_init"'))) stranger.send(frame);
        for (const frame of GARBAGE.slice(0, 4)) victim.send(frame); // the honest client's own stray frames
        stranger.send({ type: "session_end", session_id: victimId });
        // The node has no handler for session_end (fabstir-llm-node@85a87b8 src/api/server.rs:2085-4240): no answer. An
        // init the front refuses comes after it on the same socket, so once its error arrives the rest was handled.
        stranger.send({ type: "session_init", session_id: "stranger", job_id: 0 });
        await stranger.waitFor((f) => f.type === "error" && f.code === "INVALID_JOB_ID", 5000);
        await stranger.close();

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

        // The foreign job: untouched by us (no proof, no settlement, no transaction naming it).
        expect(await proofEvents(net, foreign)).toEqual([]);
        expect((await readJob(net, foreign)).status).toBe(0);
        const sent = await transactionsFrom(net, deployment.accounts.host.address);
        expect(sent.filter((tx) => tx.jobId === foreign)).toEqual([]);
        expect(sent.filter((tx) => tx.status !== 1)).toEqual([]);
        // One alert for every refusal from the address, at the end of its window (here: the host stops).
        expect(host.alerts).toEqual([]);
        await host.stop();
        expect(host.alerts.length).toBe(1);
        expect(host.alerts[0]).toContain("refused for unknown jobs from address 127.0.0.1");
        expect(host.alerts[0]).toContain("1 for another host's jobs");
        expect(host.alerts[0]).toContain(`jobs ${foreign}`);
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
    // Wrong chain, a job id that is no number, a negative one: refused by the front (the job) or the node (the
    // chain), each on its own socket, since a refused init ends its socket.
    let errors = 0;
    for (let i = 0; i < 40; i++) {
      const frames = [
        { type: "session_init", session_id: `flood-${i}-chain`, job_id: 1, chain_id: 1 },
        { type: "session_init", session_id: `flood-${i}-job`, job_id: "not-a-job" },
        { type: "session_init", session_id: `flood-${i}-neg`, job_id: -1 },
      ];
      for (const frame of frames) {
        const flood = await FrameClient.connect(host.services.front.port);
        await flood.waitFor((f) => f.type === "connected");
        flood.send(frame);
        await flood.waitFor((f) => f.type === "error");
        errors++;
        expect(flood.framesOfType("session_init_ack")).toEqual([]);
        await flood.close();
      }
    }
    expect(errors).toBe(120);
    await Bun.sleep(300);
    expect(host.services.pipeline.snapshot()).toEqual([]);
    expect(host.services.monitor.activeSessions()).toEqual([]);
    expect(readdirSync(join(host.stateDir, "proofs", "active"))).toEqual([]);
  } finally {
    await host.stop();
  }
}, 30_000);
