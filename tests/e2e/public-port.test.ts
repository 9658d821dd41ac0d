/**
 * The public port of a host run from the compiled binary (`start --daemon` on a devnet), against strangers: odd
 * request forms that made the runtime throw (its error page named the state directory and showed the binary's
 * source), one address holding every socket, and a flood of session_inits for jobs that do not exist.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { compiledBinary } from "../helpers/binary.ts";
import { prepareHost, type PreparedHost } from "../../scripts/demo/prepare-host.ts";
import { HostProcesses, withLogsOnFailure } from "./harness/host-control.ts";
import { RawWebSocket, rawRequest } from "../integration/session/raw-client.ts";
import { Contract } from "ethers";
import { devnetProvider, devnetWallet, openSession, registerHost } from "../../scripts/devnet/actions.ts";
import { openSessions } from "./harness/clients.ts";

let host: PreparedHost;
let processes: HostProcesses;

beforeAll(async () => {
  host = await prepareHost({
    binary: await compiledBinary(),
    retainFiles: true,
    graceSeconds: 10,
    nodeEnv: { SIM_TOKENS_PER_PROMPT: "20", SIM_TOKEN_DELAY_MS: "0" },
  });
  processes = new HostProcesses(host);
  await withLogsOnFailure(host, () => processes.start());
}, 180_000);

afterAll(async () => {
  await host?.cli(["stop"], { name: "stop", allowFailure: true });
  await host?.stop();
  if (host) rmSync(host.scratch, { recursive: true, force: true });
}, 60_000);

async function opened(localAddress: string): Promise<RawWebSocket | undefined> {
  const { ws } = await RawWebSocket.open(host.ports.api, { localAddress });
  if (ws) await ws.waitFor(() => ws.texts().some((f) => f.type === "connected"));
  return ws;
}

/** Waits until this address may open a socket again (its held sockets were seen closed by the front). */
async function waitForRoom(localAddress: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ws = await opened(localAddress).catch(() => undefined);
    if (ws) return ws.destroy();
    if (Date.now() > until) throw new Error(`${localAddress} got no socket within ${timeoutMs / 1000} s`);
    await Bun.sleep(100);
  }
}

describe("the compiled host's public port", () => {
  test("odd request forms get a short answer of the host's own: no source, no stack, no state directory", async () => {
    for (const line of [
      "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x:99999\r\n\r\n",
      "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
      "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
      "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n",
    ]) {
      const response = await rawRequest(host.ports.api, line);
      const text = `${response.head}\n${response.body}`.toLowerCase();
      expect({ line, status: response.status, short: response.bytes < 1024 }).toEqual({ line, status: expect.any(Number), short: true });
      expect([400, 405]).toContain(response.status);
      for (const leak of [host.home.toLowerCase(), "something went wrong", "<html", "    at ", "invalid url", "src/"]) expect(text).not.toContain(leak);
    }
    expect((await fetch(`http://127.0.0.1:${host.ports.api}/health`)).status).toBe(200);
  }, 30_000);

  test("one address holding sockets cannot keep another out", async () => {
    const held = await Promise.all(Array.from({ length: 32 }, () => opened("127.0.0.1").catch(() => undefined)));
    try {
      expect(held.filter(Boolean).length).toBeLessThan(32);
      const other = await opened("127.0.0.2");
      expect(other).toBeDefined();
      other!.destroy();
    } finally {
      for (const ws of held) ws?.destroy();
      // The front frees an address's share when it sees those sockets close: the next test starts once it has.
      await waitForRoom("127.0.0.1");
    }
  }, 30_000);

  test("session_inits for invented jobs are refused at the front and leave nothing behind", async () => {
    for (let i = 0; i < 50; i++) {
      const ws = await opened("127.0.0.1");
      ws!.sendJson({ type: "session_init", id: i, session_id: `invented-${i}`, job_id: 900_000 + i, chain_id: host.deployment.chainId });
      expect(await ws!.closed()).toBe(1008);
      expect(ws!.texts().find((f) => f.type === "error")).toMatchObject({ code: "JOB_NOT_FOUND", id: i, session_id: `invented-${i}` });
    }
    const active = join(host.home, "state", "proofs", "active");
    expect(readdirSync(active).filter((name) => name.startsWith("invented"))).toEqual([]);
    const proofsLog = readFileSync(join(host.home, "logs", "proofs.log"), "utf8");
    expect(proofsLog).not.toContain("invented-");
  }, 60_000);

  test("a job that ended, another host's job and one under the operator's floor are refused at the front: no node sees them", async () => {
    const provider = devnetProvider(host.deployment.rpcUrl);
    try {
      // A job its client has already completed (the depositor may at any time): not active.
      const ended = BigInt((await openSessions(host.deployment, host.address, ["ETH"], "ended", { encrypted: false }))[0]!.jobId);
      const client = devnetWallet(host.deployment.accounts.client, provider);
      const market = new Contract(host.deployment.contracts.jobMarketplace, ["function completeSessionJob(uint256 jobId, string conversationCID)"], client);
      await (await market.getFunction("completeSessionJob")(ended, "")).wait();
      const first = await opened("127.0.0.1");
      first!.sendJson({ type: "session_init", id: "e", session_id: "ended-job", job_id: Number(ended), chain_id: host.deployment.chainId });
      expect(await first!.closed()).toBe(1008);
      expect(first!.texts().find((f) => f.type === "error")).toMatchObject({ code: "JOB_NOT_ACTIVE", id: "e", session_id: "ended-job" });

      // Another host's job: the devnet's own host account, registered, with a job opened for it.
      await registerHost(host.deployment, provider);
      const foreign = await openSession(host.deployment, provider, { proofInterval: 1000 });
      const third = await opened("127.0.0.1");
      third!.sendJson({ type: "session_init", id: "w", session_id: "foreign-job", job_id: Number(foreign), chain_id: host.deployment.chainId });
      expect(await third!.closed()).toBe(1008);
      expect(third!.texts().find((f) => f.type === "error")).toMatchObject({ code: "JOB_WRONG_HOST", id: "w", session_id: "foreign-job" });

      // A floor no job of this devnet clears: the host refuses every job under it once restarted with it.
      await host.cli(["config", "set", "economics.minJobValue", "1000000000000000000000"], { name: "config set floor" });
      await host.cli(["restart", "--password-file", host.passwordFile], { name: "restart with a floor" });
      await processes.waitRunning("the host restarted with its floor");
      const cheap = BigInt((await openSessions(host.deployment, host.address, ["ETH"], "cheap", { encrypted: false }))[0]!.jobId);
      const second = await opened("127.0.0.1");
      second!.sendJson({ type: "session_init", id: "f", session_id: "cheap-job", job_id: Number(cheap), chain_id: host.deployment.chainId });
      expect(await second!.closed()).toBe(1008);
      expect(second!.texts().find((f) => f.type === "error")).toMatchObject({ code: "JOB_BELOW_FLOOR", id: "f", session_id: "cheap-job" });
    } finally {
      provider.destroy();
    }
    // Neither session ever reached a node: no node log names them.
    const nodeLogs = readdirSync(join(host.home, "logs"), { recursive: true, encoding: "utf8" }).filter((name) => /node\.log$/.test(name));
    for (const name of nodeLogs) {
      const text = readFileSync(join(host.home, "logs", name), "utf8");
      expect({ name, ended: text.includes("ended-job"), foreign: text.includes("foreign-job"), cheap: text.includes("cheap-job") }).toEqual({
        name,
        ended: false,
        foreign: false,
        cheap: false,
      });
    }
  }, 120_000);
});
