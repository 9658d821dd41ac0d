/**
 * Runs the node stand-in as a real child process for tests, and talks to it
 * over WebSocket. Everything started here is stopped by `stop()`/`close()`,
 * which the tests call from afterAll/finally.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dir, "..", "..", "..");
const entry = join(repoRoot, "scripts", "devnet", "node-sim.ts");

/** A throwaway directory holding a fake GGUF file for MODEL_PATH. */
export function makeModelDir(): { dir: string; modelPath: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "node-sim-test-"));
  const modelPath = join(dir, "tiny-vicuna-1b.q4_k_m.gguf");
  writeFileSync(modelPath, "GGUF fake model for tests");
  return { dir, modelPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SimProcess {
  proc: ReturnType<typeof Bun.spawn>;
  /** All stdout and stderr so far, as one string. */
  output(): string;
  stdout(): string;
  stderr(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number>;
  /** Sends SIGKILL if still running; safe to call twice. */
  kill(): Promise<void>;
}

async function pump(stream: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) onText(decoder.decode(chunk, { stream: true }));
}

/** Spawns the stand-in with only the given variables (plus PATH/HOME): no secret leaks in from the test env. */
export function spawnSim(env: Record<string, string>): SimProcess {
  const proc = Bun.spawn(["bun", entry], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  let err = "";
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  void pump(proc.stdout as ReadableStream<Uint8Array>, (text) => {
    out += text;
    notify();
  });
  void pump(proc.stderr as ReadableStream<Uint8Array>, (text) => {
    err += text;
    notify();
  });
  const exited = proc.exited;
  void exited.then(notify);

  const waitForOutput = (pattern: RegExp, timeoutMs = 10_000) =>
    new Promise<RegExpMatchArray>((resolvePromise, reject) => {
      const check = () => {
        const match = (out + err).match(pattern);
        if (match) {
          finish();
          resolvePromise(match);
        } else if (proc.exitCode !== null || proc.signalCode !== null) {
          // Give the pipes a moment to drain before declaring the line missing.
          setTimeout(() => {
            const late = (out + err).match(pattern);
            finish();
            if (late) resolvePromise(late);
            else reject(new Error(`process exited (${proc.exitCode}) before ${pattern}:\n${out}${err}`));
          }, 100);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${pattern}:\n${out}${err}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    proc,
    output: () => out + err,
    stdout: () => out,
    stderr: () => err,
    waitForOutput,
    exited,
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}

/** Spawns the stand-in and waits for its readiness line; returns the port it printed. */
export async function startSim(env: Record<string, string>): Promise<SimProcess & { port: number; baseUrl: string }> {
  const sim = spawnSim({ API_PORT: "0", ...env });
  try {
    const match = await sim.waitForOutput(/✅ API server started on http:\/\/0\.0\.0\.0:(\d+)/);
    await sim.waitForOutput(/🎉 Fabstir LLM Node is running/);
    const port = Number(match[1]);
    return { ...sim, port, baseUrl: `http://127.0.0.1:${port}` };
  } catch (error) {
    await sim.kill();
    throw error;
  }
}

export type Frame = Record<string, unknown> & { type: string };

/** A WebSocket client that keeps every frame and lets a test wait for the next match. */
export class FrameClient {
  readonly frames: Frame[] = [];
  /** Every frame's text as it came, for key-order checks. */
  readonly raw: string[] = [];
  closeCode: number | undefined;
  private readonly ws: WebSocket;
  private readonly waiters = new Set<() => void>();
  private readonly closedPromise: Promise<number>;

  private constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.onmessage = (event) => {
      this.raw.push(String(event.data));
      this.frames.push(JSON.parse(String(event.data)) as Frame);
      this.wake();
    };
    this.closedPromise = new Promise((resolvePromise) => {
      this.ws.onclose = (event) => {
        this.closeCode = event.code;
        this.wake();
        resolvePromise(event.code);
      };
    });
  }

  static async connect(port: number): Promise<FrameClient> {
    const client = new FrameClient(`ws://127.0.0.1:${port}/v1/ws`);
    await new Promise<void>((resolvePromise, reject) => {
      client.ws.onopen = () => resolvePromise();
      client.ws.onerror = () => reject(new Error("WebSocket connection failed"));
    });
    return client;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Waits for the first frame after index `from` that matches. */
  waitFor(match: (frame: Frame) => boolean, timeoutMs = 5000, from = 0): Promise<Frame> {
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        const found = this.frames.slice(from).find(match);
        if (found) {
          done();
          resolvePromise(found);
        } else if (this.closeCode !== undefined) {
          done();
          reject(new Error(`socket closed (${this.closeCode}) while waiting; frames: ${JSON.stringify(this.frames)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for a frame; frames: ${JSON.stringify(this.frames)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  framesOfType(type: string, sessionId?: string): Frame[] {
    return this.frames.filter((frame) => frame.type === type && (sessionId === undefined || frame.session_id === sessionId));
  }

  closed(): Promise<number> {
    return this.closedPromise;
  }

  close(): Promise<number> {
    if (this.closeCode === undefined) this.ws.close(1000);
    return this.closedPromise;
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }
}

/**
 * Sends a prompt on the socket's session and resolves with the stream's stream_end. The node takes the session from
 * the socket's session_init and ignores a session_id on the prompt (fabstir-llm-node@85a87b8 src/api/server.rs:
 * 3691-3712), and its stream_end names no session (server.rs:3870): one socket, one session. `sessionId` is sent
 * anyway, as older clients do.
 */
export async function runPrompt(client: FrameClient, sessionId: string, prompt: string, extra: Record<string, unknown> = {}): Promise<Frame> {
  const from = client.frames.length;
  client.send({ type: "prompt", session_id: sessionId, prompt, ...extra });
  return client.waitFor((frame) => frame.type === "stream_end", 10_000, from);
}
