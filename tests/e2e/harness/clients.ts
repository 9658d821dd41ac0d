/**
 * Clients that survive a host going away: each opens its session job on chain as the SDK does (its settings, the host's
 * price, and by default encryption to the host's published key), then chats through the host's public port with the
 * SDK's frames and reports how the conversation ended (all answered, or the close code the host gave) instead of
 * failing. A client can wait at a gate between prompts (so a test acts while every session is open and idle), and can
 * keep trying to connect while the host restarts, the way a reconnecting client does.
 */
import WebSocket from "ws";
import { devnetProvider, openSession } from "../../../scripts/devnet/actions.ts";
import { SDK_SESSION_DEFAULTS, conversationFor, readHostTerms, type SdkConversation } from "../../../scripts/devnet/sdk-client.ts";
import type { Deployment } from "../../../scripts/devnet/types.ts";

export interface OpenedSession {
  token: "ETH" | "USDC";
  jobId: string;
  sessionId: string;
  /** Builds the SDK's frames for this session (encrypted unless opened with `encrypted: false`). */
  conversation: SdkConversation;
}

export interface ChatOutcome extends Omit<OpenedSession, "conversation"> {
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

export interface OpenSessionsOptions {
  /** Default: the SDK's 1000 tokens (SDK_SESSION_DEFAULTS); a test asking for less says why. */
  proofInterval?: number;
  /** Default true, as the SDK. */
  encrypted?: boolean;
  /** All sessions for this model (the host runs one node per model: sessions on one node need one model); default: the models in turn. */
  modelIndex?: number;
  /** The deposit of every session opened (default: the devnet's, 0.001 ETH or 2 USDC). */
  deposit?: bigint;
}

/**
 * For the resilience scenarios: answers of one checkpoint each (100 tokens) must each fall due as a proof, so the
 * scenarios can count proofs across a restart or a crash; under the SDK's 1000 a short session has no proof due until
 * its end, and what is judged there is the padding of a first claim rather than the host's recovery.
 */
export const ONE_CHECKPOINT_PER_ANSWER: OpenSessionsOptions = { proofInterval: 100 };

/** Opens one job per entry, in order (one client account: its transactions must not race for a nonce). */
export async function openSessions(
  deployment: Deployment,
  host: string,
  tokens: ("ETH" | "USDC")[],
  label = "e2e",
  options: OpenSessionsOptions = {},
): Promise<OpenedSession[]> {
  const provider = devnetProvider(deployment.rpcUrl);
  try {
    const opened: OpenedSession[] = [];
    for (const [i, token] of tokens.entries()) {
      const model = deployment.models[options.modelIndex ?? i % deployment.models.length]!;
      const terms = await readHostTerms(provider, deployment, host, model.id, token, options.encrypted ?? true);
      const proofInterval = options.proofInterval ?? SDK_SESSION_DEFAULTS.proofInterval;
      const jobId = (
        await openSession(deployment, provider, {
          ...SDK_SESSION_DEFAULTS,
          token,
          host,
          modelId: model.id,
          pricePerToken: terms.pricePerToken,
          proofInterval,
          ...(options.deposit !== undefined ? { deposit: options.deposit } : {}),
        })
      ).toString();
      const sessionId = `${label}-${token.toLowerCase()}-${jobId}`;
      opened.push({ token, jobId, sessionId, conversation: conversationFor({ deployment, sessionId, jobId, modelId: model.id, terms }) });
    }
    return opened;
  } finally {
    // ethers may still run a listener of a mined transaction's wait() for a moment; destroying the provider under it
    // rejects that listener's block-number read with nobody to catch it.
    setTimeout(() => provider.destroy(), 500);
  }
}

/** A socket that neither opens nor fails (a connection taken but never upgraded) counts as a failed attempt. */
const CONNECT_TIMEOUT_MS = 10_000;

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no WebSocket open within ${CONNECT_TIMEOUT_MS / 1000} s`));
    }, CONNECT_TIMEOUT_MS);
    ws.once("open", () => {
      clearTimeout(timer);
      resolve(ws);
    });
    ws.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export async function chat(hostUrl: string, session: OpenedSession, options: ChatOptions): Promise<ChatOutcome> {
  const url = `${hostUrl.replace(/^http/, "ws").replace(/\/$/, "")}/v1/ws`;
  const { conversation, ...identity } = session;
  const outcome: ChatOutcome = { ...identity, answered: 0, tokens: 0, completed: false, connectAttempts: 0 };
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
    const send = (frame: Record<string, unknown>) => {
      if (!done && ws!.readyState === WebSocket.OPEN) ws!.send(JSON.stringify(frame));
    };
    // The SDK sends an init before every prompt (SessionManager.ts:1078-1112); the prompt follows its ack.
    const ask = () => send(conversation.initFrame());
    ws!.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; tokens?: number; message?: string; code?: string };
      try {
        if (frame.type === "connected") ask();
        else if (frame.type === "session_init_ack") send(conversation.promptFrame(`Question ${outcome.answered + 1}: how does a host prove its work?`));
        else if (frame.type === "stream_chunk" || frame.type === "encrypted_chunk") outcome.tokens += conversation.tokensIn(frame);
        else if (frame.type === "stream_end") {
          outcome.answered++;
          if (outcome.answered >= options.prompts) {
            outcome.completed = true;
            ws!.close(1000);
          } else void (options.between?.(outcome.answered) ?? Promise.resolve()).then(ask);
        } else if (frame.type === "error") finish({ error: `${frame.code ?? "error"}: ${frame.message ?? ""}` });
      } catch (error) {
        finish({ error: `a frame did not decrypt: ${(error as Error).message}` });
      }
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
