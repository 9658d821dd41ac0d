/**
 * What a client built on the Fabstir SDK sends, for the simulated clients (the demo's and the end-to-end tests'):
 * the session settings the SDK uses when none are given, and the frames of one conversation.
 *
 * The SDK sends a session init before every prompt (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/
 * SessionManager.ts:1078-1112), encrypted by default:
 * - encrypted: `encrypted_session_init` then `encrypted_message` (scripts/devnet/sdk-crypto/client-session.ts);
 * - plaintext (`encryption: false`): `session_init {chain_id, session_id, jobId, user_address}` (SessionManager.ts:2175-2181)
 *   then `prompt {prompt}` with no session_id (SessionManager.ts:2328-2331), both through WebSocketClient.sendMessage
 *   (SessionManager.ts:2191), which adds an `id` (src/websocket/WebSocketClient.ts:206-209, 427-429).
 */
import { randomBytes } from "node:crypto";
import { Contract, ZeroAddress, type Provider } from "ethers";
import { EncryptedClientSession, readHostPublicKey } from "./sdk-crypto/index.ts";
import type { Deployment } from "./types.ts";

/**
 * The SDK's session settings: proofInterval 1000 (src/config/llm-config.ts:18, used at
 * src/managers/PaymentManagerMultiChain.ts:328), maxDuration 3600 s (PaymentManagerMultiChain.ts:61, 327) and
 * proofTimeoutWindow 300 s (SessionManager.ts:164; src/contracts/SessionJobManager.ts:422).
 */
export const SDK_SESSION_DEFAULTS = { proofInterval: 1000, maxDuration: 3600, proofTimeoutWindow: 300 } as const;

/** The SDK's largest answer by default (llm-config.ts:12): what `max_tokens` says unless a caller asks for less. */
export const SDK_MAX_TOKENS = 4000;

type Frame = Record<string, unknown>;

export interface ConversationOptions {
  sessionId: string;
  jobId: string;
  chainId: number;
  /** The depositor's address (`user_address` of a plaintext init). */
  userAddress: string;
  /** Present for an encrypted conversation (the default of every simulated client). */
  sealed?: EncryptedClientSession;
}

export class SdkConversation {
  constructor(private readonly options: ConversationOptions) {}

  get encrypted(): boolean {
    return this.options.sealed !== undefined;
  }

  /** The init sent before each prompt; encrypted, it draws a fresh session key. */
  initFrame(): Frame {
    const { sealed, chainId, sessionId, jobId, userAddress } = this.options;
    if (sealed) return sealed.initFrame();
    return { type: "session_init", chain_id: chainId, session_id: sessionId, jobId, user_address: userAddress, id: messageId() };
  }

  promptFrame(prompt: string, maxTokens = SDK_MAX_TOKENS): Frame {
    if (this.options.sealed) return this.options.sealed.messageFrame(prompt, maxTokens);
    return { type: "prompt", prompt, id: messageId() };
  }

  /** Tokens a frame from the host carries (stream_chunk or encrypted_chunk); encrypted chunks must open with the key. */
  tokensIn(frame: Frame): number {
    if (frame.type === "encrypted_chunk" && this.options.sealed) {
      this.options.sealed.open(frame);
      return Number(frame.tokens ?? 0);
    }
    return frame.type === "stream_chunk" ? Number(frame.tokens ?? 0) : 0;
  }
}

/** WebSocketClient.generateMessageId's shape: `<ms>-<random>`. */
function messageId(): string {
  return `${Date.now()}-${randomBytes(4).readUInt32BE(0).toString(36)}`;
}

export interface HostTerms {
  /** The host's price for the model and token (getModelPricing), what the SDK pays. */
  pricePerToken: bigint;
  /** The host's compressed public key from its metadata; absent for plaintext clients. */
  hostPublicKey?: string;
}

/** Reads what a client needs from the chain before opening a session, as the SDK does. */
export async function readHostTerms(
  provider: Provider,
  deployment: Deployment,
  host: string,
  modelId: string,
  token: "ETH" | "USDC",
  encrypted: boolean,
): Promise<HostTerms> {
  const registry = new Contract(deployment.contracts.nodeRegistry, ["function getModelPricing(address, bytes32, address) view returns (uint256)"], provider);
  const pricePerToken = (await registry.getFunction("getModelPricing")(
    host,
    modelId,
    token === "USDC" ? deployment.contracts.usdcToken : ZeroAddress,
  )) as bigint;
  if (!encrypted) return { pricePerToken };
  return { pricePerToken, hostPublicKey: await readHostPublicKey(provider, deployment.contracts.nodeRegistry, host) };
}

/** The conversation for a session the client opened on chain. */
export function conversationFor(input: { deployment: Deployment; sessionId: string; jobId: string; modelId: string; terms: HostTerms }): SdkConversation {
  const { deployment, sessionId, jobId, modelId, terms } = input;
  const client = deployment.accounts.client;
  const sealed = terms.hostPublicKey
    ? new EncryptedClientSession({
        hostPublicKey: terms.hostPublicKey,
        clientPrivateKey: client.privateKey,
        jobId,
        modelName: modelId,
        pricePerToken: terms.pricePerToken,
        chainId: deployment.chainId,
        sessionId,
      })
    : undefined;
  return new SdkConversation({ sessionId, jobId, chainId: deployment.chainId, userAddress: client.address, sealed });
}
