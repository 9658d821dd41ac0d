/**
 * Clients that survive a host going away: each opens its session job on chain as the SDK does, then chats through the
 * host's public port and reports how the conversation ended (all answered, or the close code the host gave) instead of
 * failing. A client can wait at a gate between prompts (so a test acts while every session is open and idle), and can
 * keep trying to connect while the host restarts, the way a reconnecting client does.
 */
import { Contract, ZeroAddress } from "ethers";
import WebSocket from "ws";
import { devnetProvider, openSession } from "../../../scripts/devnet/actions.ts";
import type { Deployment } from "../../../scripts/devnet/types.ts";

export interface OpenedSession {
  token: "ETH" | "USDC";
  jobId: string;
  sessionId: string;
}

export interface ChatOutcome extends OpenedSession {
  /** Prompts answered with a stream_end. */
  answered: number;
  /** Tokens received in chunk frames, a request cut short included. */
  tokens: number;
  completed: boolean;
  /** The close code the host gave, when it closed first. */
  closeCode?: number;
  error?: string;
  connectAttempts: number;
}

export interface ChatOptions {
  prompts: number;
  /** Awaited after each answer, before the next prompt. */
  between?: (answered: number) => Promise<void>;
  /** Keep trying to connect this long (a host that restarts refuses or answers 503 meanwhile). Default: one try. */
  connectWithinMs?: number;
  timeoutMs?: number;
}

/**
 * Opens one job per entry, in order (one client account: its transactions must not race for a nonce), for the models
 * in turn, or all for `modelIndex` (the host runs one node per model: sessions on one node need one model).
 */
export async function openSessions(deployment: Deployment, host: string, tokens: ("ETH" | "USDC")[], label = "e2e", modelIndex?: number): Promise<OpenedSession[]> {
  const provider = devnetProvider(deployment.rpcUrl);
  try {
    const registry = new Contract(deployment.contracts.nodeRegistry, ["function getModelPricing(address, bytes32, address) view returns (uint256)"], provider);
    const opened: OpenedSession[] = [];
    for (const [i, token] of tokens.entries()) {
      const model = deployment.models[modelIndex ?? i % deployment.models.length]!;
      const pricePerToken = (await registry.getFunction("getModelPricing")(host, model.id, token === "USDC" ? deployment.contracts.usdcToken : ZeroAddress)) as bigint;
      const jobId = (await openSession(deployment, provider, { token, host, modelId: model.id, pricePerToken, proofInterval: 100 })).toString();
      opened.push({ token, jobId, sessionId: `${label}-${token.toLowerCase()}-${jobId}` });
    }
    return opened;
  } finally {
    // ethers may still run a listener of a mined transaction's wait() for a moment; destroying the provider under it
    // rejects that listener's block-number read with nobody to catch it.
    setTimeout(() => provider.destroy(), 500);
  }
}

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once("open", () => resolve(ws));
    ws.once("error", (error) => reject(error));
  });
}

export async function chat(hostUrl: string, session: OpenedSession, options: ChatOptions): Promise<ChatOutcome> {
  const url = `${hostUrl.replace(/^http/, "ws").replace(/\/$/, "")}/v1/ws`;
  const outcome: ChatOutcome = { ...session, answered: 0, tokens: 0, completed: false, connectAttempts: 0 };
  const connectUntil = Date.now() + (options.connectWithinMs ?? 0);
  let ws: WebSocket | undefined;
  for (;;) {
    outcome.connectAttempts++;
    try {
      ws = await connect(url);
      break;
    } catch (error) {
      if (Date.now() >= connectUntil) return { ...outcome, error: `could not connect: ${(error as Error).message}` };
      await Bun.sleep(200);
    }
  }
  return new Promise((resolve) => {
    let done = false;
    const finish = (extra: Partial<ChatOutcome>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...outcome, ...extra });
    };
    const timer = setTimeout(() => {
      ws!.terminate();
      finish({ error: `no answer within ${(options.timeoutMs ?? 60_000) / 1000} s` });
    }, options.timeoutMs ?? 60_000);
    const ask = () => {
      if (!done && ws!.readyState === WebSocket.OPEN) ws!.send(JSON.stringify({ type: "prompt", session_id: session.sessionId, prompt: `Question ${outcome.answered + 1}: how does a host prove its work?` }));
    };
    ws!.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; tokens?: number; message?: string; code?: string };
      if (frame.type === "connected") ws!.send(JSON.stringify({ type: "session_init", session_id: session.sessionId, job_id: session.jobId, chain_id: 31337 }));
      else if (frame.type === "session_init_ack") ask();
      else if (frame.type === "stream_chunk") outcome.tokens += Number(frame.tokens ?? 0);
      else if (frame.type === "stream_end") {
        outcome.answered++;
        if (outcome.answered >= options.prompts) {
          outcome.completed = true;
          ws!.close(1000);
        } else void (options.between?.(outcome.answered) ?? Promise.resolve()).then(ask);
      } else if (frame.type === "error") finish({ error: `${frame.code ?? "error"}: ${frame.message ?? ""}` });
    });
    ws!.on("close", (code) => finish(outcome.completed ? {} : { closeCode: code }));
    // A socket torn down under us (a reset) reports an error, then its close: the close code is what a client acts on.
    ws!.on("error", (error) => setTimeout(() => finish({ error: error.message }), 1000));
  });
}

/** Lets every client reach a point, then holds them there until the test opens it. */
export function gate(parties: number) {
  let arrived = 0;
  let allArrived!: () => void;
  let open!: () => void;
  const reached = new Promise<void>((resolve) => (allArrived = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    /** Resolves once every party arrived (or the test gave up waiting). */
    reached,
    open,
    arrive(): Promise<void> {
      if (++arrived >= parties) allArrived();
      return opened;
    },
  };
}
