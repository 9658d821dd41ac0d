/**
 * A simulated client for the demo and end-to-end tests: opens a session job on chain (ETH or USDC) with the devnet's
 * client account and the SDK's settings, chats with the host through its public WebSocket as the SDK does (encrypted
 * to the host's published key unless --plaintext), and closes the socket (which settles the session).
 *
 *   bun scripts/devnet/client.ts --deployment .devnet/deployment.json --host ws://127.0.0.1:8080 --token USDC --prompts 3 [--plaintext]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { devnetProvider, openSession } from "./actions.ts";
import { SDK_SESSION_DEFAULTS, conversationFor, readHostTerms, type SdkConversation } from "./sdk-client.ts";
import type { Deployment } from "./types.ts";

export interface ClientSessionOptions {
  deployment: Deployment;
  /** The host's public API, http(s) or ws(s). */
  hostUrl: string;
  token: "ETH" | "USDC";
  prompts: number;
  /** Default: the SDK's 1000 (SDK_SESSION_DEFAULTS). */
  proofInterval?: number;
  modelIndex?: number;
  sessionId?: string;
  /** The host to pay (default: the devnet's own host account). */
  host?: string;
  /** Encrypt the session, as the SDK does by default (default true). */
  encrypted?: boolean;
}

export interface ClientSessionResult {
  token: "ETH" | "USDC";
  jobId: string;
  sessionId: string;
  tokens: number;
  prompts: number;
  encrypted: boolean;
}

/** Opens every session first (one client account: its transactions go in order), then chats in all of them at once. */
export async function runClientSessions(list: ClientSessionOptions[]): Promise<ClientSessionResult[]> {
  const opened = [];
  for (const options of list) opened.push(await openClientSession(options));
  return Promise.all(
    opened.map(async (session, i) => {
      const options = list[i]!;
      const tokens = await chat(session.url, session.conversation, options.prompts);
      return {
        token: options.token,
        jobId: session.jobId,
        sessionId: session.sessionId,
        tokens,
        prompts: options.prompts,
        encrypted: session.conversation.encrypted,
      };
    }),
  );
}

export async function runClientSession(options: ClientSessionOptions): Promise<ClientSessionResult> {
  return (await runClientSessions([options]))[0]!;
}

async function openClientSession(options: ClientSessionOptions): Promise<{ jobId: string; sessionId: string; url: string; conversation: SdkConversation }> {
  const provider = devnetProvider(options.deployment.rpcUrl);
  try {
    const model = options.deployment.models[options.modelIndex ?? 0]!;
    const host = options.host ?? options.deployment.accounts.host.address;
    // The host's own price for the model and token, and (encrypted) its public key, both from chain as the SDK reads them.
    const terms = await readHostTerms(provider, options.deployment, host, model.id, options.token, options.encrypted ?? true);
    const jobId = (
      await openSession(options.deployment, provider, {
        ...SDK_SESSION_DEFAULTS,
        token: options.token,
        proofInterval: options.proofInterval ?? SDK_SESSION_DEFAULTS.proofInterval,
        modelId: model.id,
        host,
        pricePerToken: terms.pricePerToken,
      })
    ).toString();
    const sessionId = options.sessionId ?? `demo-${options.token.toLowerCase()}-${jobId}`;
    const url = `${options.hostUrl.replace(/^http/, "ws").replace(/\/$/, "")}/v1/ws`;
    return { jobId, sessionId, url, conversation: conversationFor({ deployment: options.deployment, sessionId, jobId, modelId: model.id, terms }) };
  } finally {
    provider.destroy();
  }
}

/** An init before every prompt, as the SDK sends them; the tokens counted are the host's `tokens_used` per answer. */
function chat(url: string, conversation: SdkConversation, prompts: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let tokens = 0;
    let answered = 0;
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error(`the host did not answer within 60 s (${answered}/${prompts} prompts)`));
    }, 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      ws.close();
      reject(error);
    };
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data.toString()) as { type: string; tokens_used?: number; message?: string; code?: string };
      try {
        if (frame.type === "connected") ws.send(JSON.stringify(conversation.initFrame()));
        else if (frame.type === "session_init_ack")
          ws.send(JSON.stringify(conversation.promptFrame(`Question ${answered + 1}: what is a decentralized GPU marketplace?`)));
        else if (frame.type === "stream_chunk" || frame.type === "encrypted_chunk") conversation.tokensIn(frame);
        else if (frame.type === "stream_end") {
          tokens += Number(frame.tokens_used ?? 0);
          answered++;
          if (answered < prompts) ws.send(JSON.stringify(conversation.initFrame()));
          else ws.close(1000);
        } else if (frame.type === "error") fail(new Error(`the host answered an error: ${frame.code ?? "error"}: ${frame.message ?? "unknown"}`));
      } catch (error) {
        fail(new Error(`a frame from the host did not decrypt: ${(error as Error).message}`));
      }
    };
    ws.onclose = () => {
      clearTimeout(timer);
      if (answered >= prompts) resolve(tokens);
      else reject(new Error(`the connection closed after ${answered}/${prompts} prompts`));
    };
    ws.onerror = () => {
      clearTimeout(timer);
      reject(new Error(`could not connect to ${url}`));
    };
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      deployment: { type: "string", default: ".devnet/deployment.json" },
      host: { type: "string", default: "http://127.0.0.1:8080" },
      token: { type: "string", default: "ETH" },
      prompts: { type: "string", default: "3" },
      plaintext: { type: "boolean", default: false },
    },
  });
  const deployment = JSON.parse(readFileSync(values.deployment!, "utf8")) as Deployment;
  const result = await runClientSession({
    deployment,
    hostUrl: values.host!,
    token: values.token === "USDC" ? "USDC" : "ETH",
    prompts: Number(values.prompts),
    encrypted: !values.plaintext,
  });
  console.log(JSON.stringify(result));
}
