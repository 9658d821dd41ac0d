/**
 * The count file under a kill of everything at once. A host (session services in a process of its own, on the
 * devnet) serves a client that stopped reading; the node sends a long answer at once, so most of it only sits in the
 * front's queue. Host and node are then SIGKILLed together. Whatever the moment, the `<session>.count` file on disk
 * holds no more tokens than the client received (before: every token the node sent, queued or not).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSession, DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { startProofDevnet, type ProofDevnet } from "../proof/fixtures/devnet-host.ts";
import { startHostProcess, type HostProcess } from "../proof/fixtures/host-runner.ts";
import { RawWebSocket } from "./raw-client.ts";

const CHUNKS = 400;
let net: ProofDevnet;
let stateDir: string;

beforeAll(async () => {
  net = await startProofDevnet();
  stateDir = mkdtempSync(join(tmpdir(), "count-kill-"));
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await net?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

async function startNodeDouble(): Promise<{ proc: Bun.Subprocess<"ignore", "pipe", "inherit">; port: number; sent: Promise<void> }> {
  const proc = Bun.spawn(["bun", join(import.meta.dir, "fixtures", "node-double.ts"), String(CHUNKS)], { stdout: "pipe", stderr: "inherit" });
  let out = "";
  let onSent: () => void = () => {};
  const sent = new Promise<void>((resolve) => (onSent = resolve));
  let onPort: (port: number) => void = () => {};
  const port = new Promise<number>((resolve) => (onPort = resolve));
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) {
      out += decoder.decode(chunk, { stream: true });
      const match = /PORT (\d+)/.exec(out);
      if (match) onPort(Number(match[1]));
      if (out.includes("SENT")) onSent();
    }
  })();
  return { proc, port: await port, sent };
}

const countFile = (sessionId: string) => join(stateDir, "proofs", "active", `${encodeURIComponent(sessionId)}.count`);
const readCount = (sessionId: string) => (existsSync(countFile(sessionId)) ? Number(readFileSync(countFile(sessionId), "utf8").trim() || 0) : 0);

test("kill -9 of host and node together: the count file never holds more than the client received", async () => {
  const { deployment } = net.devnet;
  const jobId = await openSession(deployment, net.devnet.provider, { proofInterval: 100 });
  const node = await startNodeDouble();
  let host: HostProcess | undefined;
  try {
    host = await startHostProcess({
      stateDir,
      port: freePort(),
      nodeUrl: `http://127.0.0.1:${node.port}`,
      deploymentFile: net.deploymentFile,
      hostKey: deployment.accounts.host.privateKey,
    });
    const port = Number((await host.waitFor(/READY port=(\d+)/))[1]);
    const { ws } = await RawWebSocket.open(port);
    await ws!.waitFor(() => ws!.texts().some((f) => f.type === "connected"));
    ws!.sendJson({ type: "session_init", session_id: "kill-me", job_id: Number(jobId), chain_id: 31337 });
    await ws!.waitFor(() => ws!.texts().some((f) => f.type === "session_init_ack"), 10_000, "the ack");
    ws!.pause();
    ws!.sendJson({ type: "prompt", session_id: "kill-me", prompt: "a long answer", max_tokens: CHUNKS });
    await node.sent;
    // Some of the answer reached the client's socket, and its count reached the disk.
    await ws!.waitFor(() => readCount("kill-me") > 0, 10_000, "a count on disk");
    node.proc.kill("SIGKILL");
    await host.kill();
    await node.proc.exited;
    const onDisk = readCount("kill-me");
    // What the kernel still held for the client is read now, up to the end of the socket.
    ws!.resume();
    await ws!.closed(10_000);
    const received = ws!
      .texts()
      .filter((f) => f.type === "stream_chunk")
      .reduce((sum, f) => sum + Number(f.tokens), 0);
    expect(onDisk).toBeGreaterThan(0);
    expect(received).toBeLessThan(CHUNKS);
    expect(onDisk).toBeLessThanOrEqual(received);
  } finally {
    node.proc.kill("SIGKILL");
    await host?.kill();
  }
}, 60_000);
