/**
 * A simulated client for the demo and end-to-end tests: opens a session job on chain (ETH or USDC) with the devnet's
 * client account, chats with the host through its public WebSocket, and closes the socket (which settles the session).
 *
 *   bun scripts/devnet/client.ts --deployment .devnet/deployment.json --host ws://127.0.0.1:8080 --token USDC --prompts 3
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Contract, ZeroAddress } from "ethers";
import WebSocket from "ws";
import { devnetProvider, openSession } from "./actions.ts";
import type { Deployment } from "./types.ts";

export interface ClientSessionOptions {
  deployment: Deployment;
  /** The host's public API, http(s) or ws(s). */
  hostUrl: string;
  token: "ETH" | "USDC";
  prompts: number;
  proofInterval?: number;
  modelIndex?: number;
  sessionId?: string;
  /** The host to pay (default: the devnet's own host account). */
  host?: string;
}

export interface ClientSessionResult {
  token: "ETH" | "USDC";
  jobId: string;
  sessionId: string;
  tokens: number;
  prompts: number;
}

/** Opens every session first (one client account: its transactions go in order), then chats in all of them at once. */
export async function runClientSessions(list: ClientSessionOptions[]): Promise<ClientSessionResult[]> {
  const opened = [];
  for (const options of list) opened.push(await openClientSession(options));
  return Promise.all(
    opened.map(async (session, i) => {
      const options = list[i]!;
      const tokens = await chat(session.url, session.sessionId, session.jobId, options.prompts);
      return { token: options.token, jobId: session.jobId, sessionId: session.sessionId, tokens, prompts: options.prompts };
    }),
  );
}

export async function runClientSession(options: ClientSessionOptions): Promise<ClientSessionResult> {
  return (await runClientSessions([options]))[0]!;
}

async function openClientSession(options: ClientSessionOptions): Promise<{ jobId: string; sessionId: string; url: string }> {
  const provider = devnetProvider(options.deployment.rpcUrl);
  try {
    const model = options.deployment.models[options.modelIndex ?? 0]!;
    // A client pays the host's own price for the model and token, as the SDK does.
    const host = options.host ?? options.deployment.accounts.host.address;
    const token = options.token === "USDC" ? options.deployment.contracts.usdcToken : ZeroAddress;
    const registry = new Contract(options.deployment.contracts.nodeRegistry, ["function getModelPricing(address, bytes32, address) view returns (uint256)"], provider);
    const pricePerToken = (await registry.getFunction("getModelPricing")(host, model.id, token)) as bigint;
    const jobId = await openSession(options.deployment, provider, { token: options.token, proofInterval: options.proofInterval ?? 100, modelId: model.id, host, pricePerToken });
    const sessionId = options.sessionId ?? `demo-${options.token.toLowerCase()}-${jobId}`;
    const url = `${options.hostUrl.replace(/^http/, "ws").replace(/\/$/, "")}/v1/ws`;
    return { jobId: jobId.toString(), sessionId, url };
  } finally {
    provider.destroy();
  }
}

function chat(url: string, sessionId: string, jobId: string, prompts: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let tokens = 0;
    let answered = 0;
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error(`the host did not answer within 60 s (${answered}/${prompts} prompts)`));
    }, 60_000);
    const ask = () => ws.send(JSON.stringify({ type: "prompt", session_id: sessionId, prompt: `Question ${answered + 1}: what is a decentralized GPU marketplace?` }));
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data.toString()) as { type: string; tokens_used?: number; message?: string };
      if (frame.type === "connected") ws.send(JSON.stringify({ type: "session_init", session_id: sessionId, job_id: jobId, chain_id: 31337 }));
      else if (frame.type === "session_init_ack") ask();
      else if (frame.type === "stream_end") {
        tokens += Number(frame.tokens_used ?? 0);
        answered++;
        if (answered < prompts) ask();
        else ws.close(1000);
      } else if (frame.type === "error") {
        clearTimeout(timer);
        ws.close();
        reject(new Error(`the host answered an error: ${frame.message ?? "unknown"}`));
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
    options: { deployment: { type: "string", default: ".devnet/deployment.json" }, host: { type: "string", default: "http://127.0.0.1:8080" }, token: { type: "string", default: "ETH" }, prompts: { type: "string", default: "3" } },
  });
  const deployment = JSON.parse(readFileSync(values.deployment!, "utf8")) as Deployment;
  const result = await runClientSession({ deployment, hostUrl: values.host!, token: values.token === "USDC" ? "USDC" : "ETH", prompts: Number(values.prompts) });
  console.log(JSON.stringify(result));
}
