/**
 * `scripts/demo.ts` stopped with SIGTERM (not Ctrl-C) left the host daemon running. Starts the demo's host part (a
 * devnet, a registered host, `start --daemon` with the node stand-in), sends SIGTERM, and checks nothing is left.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compiledBinary } from "../helpers/binary.ts";

const root = join(import.meta.dir, "..", "..");

/** Running, not a zombie: the detached daemon is nobody's child here, and who reaps it depends on the machine's PID 1. */
function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function readyLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of stream) {
    buffered += decoder.decode(chunk);
    const line = buffered.split("\n").find((l) => l.startsWith("ready "));
    if (line) return line;
  }
  throw new Error(`the demo ended before it was ready:\n${buffered}`);
}

describe("the demo and stop signals", () => {
  for (const signal of ["SIGTERM", "SIGHUP"] as const) {
    test(`${signal} stops the daemon, its node and the devnet`, async () => {
      const binary = await compiledBinary();
      const demo = Bun.spawn(["bun", "scripts/demo.ts", "--host-only", "--binary", binary], { cwd: root, stdout: "pipe", stderr: "pipe" });
      let ready: { home: string; scratch: string; pid: number; node: number; api: number; rpc: string };
      try {
        ready = JSON.parse((await readyLine(demo.stdout)).slice("ready ".length));
      } catch (error) {
        demo.kill("SIGKILL");
        throw new Error(`${(error as Error).message}\n${await new Response(demo.stderr).text()}`);
      }
      expect(alive(ready.pid)).toBe(true);
      expect(alive(ready.node)).toBe(true);
      demo.kill(signal);
      expect(await demo.exited).toBe(128 + (signal === "SIGTERM" ? 15 : 1));
      expect(alive(ready.pid)).toBe(false);
      expect(alive(ready.node)).toBe(false);
      const rpc = await fetch(ready.rpc, { method: "POST", body: "{}" }).then(
        () => "answered",
        () => "closed",
      );
      expect(rpc).toBe("closed");
      expect(existsSync(ready.scratch)).toBe(false);
    }, 300_000);
  }
});
