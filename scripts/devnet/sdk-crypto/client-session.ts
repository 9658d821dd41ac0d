/**
 * A client's side of one encrypted session, frame by frame as the SDK writes them
 * (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/SessionManager.ts):
 * - before every prompt a fresh `encrypted_session_init` with a new session key, the message index back to 0
 *   (SessionManager.ts:1078-1092, 2077-2080), `{type, payload, chain_id, session_id, job_id}` (2119-2125);
 * - each prompt an `encrypted_message` `{type, session_id, id, payload}` sealing `{prompt, model, max_tokens,
 *   temperature, stream}` under AAD `message_<index>` (2254-2291);
 * - `encrypted_chunk` and `encrypted_response` opened with the session key and the AAD they carry (2351-2362).
 */
import { randomBytes } from "node:crypto";
import { sealSessionInit } from "./session-init.ts";
import { messageAad, openWithSessionKey, sealWithSessionKey, type SealedMessage } from "./symmetric.ts";

export interface EncryptedClientOptions {
  /** The host's compressed public key, hex (its on-chain metadata's `publicKey`). */
  hostPublicKey: string;
  clientPrivateKey: string;
  jobId: bigint | string;
  /** What the SDK puts in `modelName`: the session's model (SessionManager.ts:2097). */
  modelName: string;
  pricePerToken: bigint | number;
  chainId: number;
  sessionId: string;
}

type Frame = Record<string, unknown>;

/** The SDK's message ids: `<ms>-<random base36>` (SessionManager.ts:2289). */
function messageId(): string {
  return `${Date.now()}-${randomBytes(4).readUInt32BE(0).toString(36)}`;
}

export class EncryptedClientSession {
  private sessionKey: Uint8Array | undefined;
  private messageIndex = 0;

  constructor(private readonly options: EncryptedClientOptions) {}

  /** A fresh init: new session key, message index 0. */
  initFrame(): Frame {
    const { hostPublicKey, clientPrivateKey, jobId, modelName, pricePerToken, chainId, sessionId } = this.options;
    const sealed = sealSessionInit(hostPublicKey, clientPrivateKey, { jobId, modelName, pricePerToken });
    this.sessionKey = sealed.sessionKey;
    this.messageIndex = 0;
    return { type: "encrypted_session_init", payload: sealed.payload, chain_id: chainId, session_id: sessionId, job_id: jobId.toString() };
  }

  messageFrame(prompt: string, maxTokens: number): Frame {
    const inner = { prompt, model: this.options.modelName, max_tokens: maxTokens, temperature: 0.7, stream: true };
    const payload = sealWithSessionKey(this.key(), JSON.stringify(inner), messageAad(this.messageIndex++));
    return { type: "encrypted_message", session_id: this.options.sessionId, id: messageId(), payload };
  }

  /** The text of an `encrypted_chunk` or the finish reason of an `encrypted_response`; throws when it does not open. */
  open(frame: Frame): string {
    return openWithSessionKey(this.key(), frame.payload as SealedMessage).text;
  }

  private key(): Uint8Array {
    if (!this.sessionKey) throw new Error("no session key yet: send initFrame() first");
    return this.sessionKey;
  }
}
