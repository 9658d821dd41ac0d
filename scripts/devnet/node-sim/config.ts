/**
 * Environment parsing for the node stand-in.
 *
 * Like the real fabstir-llm-node, the stand-in is configured by environment
 * variables only. The `SIM_*` switches are the stand-in's own: they make it
 * misbehave on purpose so the host's supervisor, session front and proof
 * pipeline can be tested against slow starts, crashes, hangs and rejections.
 */
import { existsSync, statSync } from "node:fs";
import { basename } from "node:path";

export type SimEnv = Record<string, string | undefined>;

/** Where proofs go: recorded only, or also submitted on chain by the stand-in itself. */
export interface ChainSettings {
  rpcUrl: string;
  chainId: number | undefined;
  jobMarketplace: string;
  hostPrivateKey: string;
  settleTimeoutMs: number;
  disputeBufferMs: number;
  /** DISPUTE_WINDOW_SECONDS: the node's own wait, overriding the contract's disputeWindow() (checkpoint_manager.rs:189-200). */
  disputeWindowSeconds: number | undefined;
}

export interface SimConfig {
  apiHost: string;
  apiPort: number;
  p2pPort: number;
  modelPath: string;
  modelFile: string;
  gpuLayers: number;
  maxContextLength: number;
  batchSize: number;
  rpcUrl: string | undefined;
  chainId: number | undefined;
  contracts: {
    jobMarketplace?: string;
    nodeRegistry?: string;
    hostEarnings?: string;
    modelRegistry?: string;
    fabToken?: string;
    usdcToken?: string;
  };
  /** Set when HOST_PRIVATE_KEY is present: the node "can decrypt" encrypted sessions. */
  hostPrivateKey: string | undefined;
  /** Set only when key, RPC and marketplace are all present: proofs go on chain. */
  chain: ChainSettings | undefined;
  rustLog: string;
  sim: {
    startupDelayMs: number;
    crashAfterMs: number | undefined;
    crashAfterTokens: number | undefined;
    hangAfterMs: number | undefined;
    reject: boolean;
    tokensPerPrompt: number;
    tokenDelayMs: number;
    checkpointInterval: number;
    /** How long "proof generation" takes before a checkpoint is published and submitted (real: seconds to minutes). */
    proofDelayMs: number;
    /** Added to the dispute window before completing (the real node's DISPUTE_WINDOW_BUFFER_SECS = 5 s). */
    disputeBufferMs: number;
    failStart: boolean;
    ignoreSigterm: boolean;
  };
}

export type ConfigResult = { ok: true; config: SimConfig } | { ok: false; error: string };

/** The contract refuses proofs below this many tokens (MIN_PROVEN_TOKENS; fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:27). */
export const MIN_PROVEN_TOKENS = 100;
/** Tokens between checkpoints (fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:25). */
export const CHECKPOINT_THRESHOLD = 1000;
/** Wait added to the dispute window before completing (fabstir-llm-node@85a87b8 src/contracts/checkpoint_manager.rs:32). */
export const DISPUTE_WINDOW_BUFFER_MS = 5000;

class ConfigError extends Error {}

function intVar(env: SimEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function optionalIntVar(env: SimEnv, name: string, min = 0): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  return intVar(env, name, 0, min);
}

function flagVar(env: SimEnv, name: string): boolean {
  const raw = (env[name] ?? "").trim().toLowerCase();
  return raw !== "" && raw !== "0" && raw !== "false" && raw !== "no";
}

function textVar(env: SimEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

function parse(env: SimEnv): SimConfig {
  const modelPath = textVar(env, "MODEL_PATH");
  if (!modelPath) throw new ConfigError("MODEL_PATH is not set");
  // The real node refuses to start without its GGUF file; so does the stand-in.
  if (!existsSync(modelPath) || !statSync(modelPath).isFile()) {
    throw new ConfigError(`Model file not found: ${modelPath}`);
  }

  const hostPrivateKey = textVar(env, "HOST_PRIVATE_KEY");
  if (hostPrivateKey && !/^(0x)?[0-9a-fA-F]{64}$/.test(hostPrivateKey)) {
    // Never echo the value: it is a secret even when malformed.
    throw new ConfigError("HOST_PRIVATE_KEY is not a 32-byte hex private key");
  }

  const rpcUrl = textVar(env, "RPC_URL");
  const chainIdRaw = optionalIntVar(env, "CHAIN_ID", 1);
  const jobMarketplace = textVar(env, "CONTRACT_JOB_MARKETPLACE");
  const settleTimeoutMs = intVar(env, "SIM_SETTLE_TIMEOUT_MS", 120_000);
  const disputeBufferMs = intVar(env, "SIM_DISPUTE_BUFFER_MS", DISPUTE_WINDOW_BUFFER_MS);

  const chain =
    hostPrivateKey && rpcUrl && jobMarketplace
      ? {
          rpcUrl,
          chainId: chainIdRaw,
          jobMarketplace,
          hostPrivateKey,
          settleTimeoutMs,
          disputeBufferMs,
          disputeWindowSeconds: optionalIntVar(env, "DISPUTE_WINDOW_SECONDS"),
        }
      : undefined;

  return {
    apiHost: textVar(env, "API_HOST") ?? "127.0.0.1",
    apiPort: intVar(env, "API_PORT", 8080),
    p2pPort: intVar(env, "P2P_PORT", 9000),
    modelPath,
    modelFile: basename(modelPath),
    gpuLayers: intVar(env, "GPU_LAYERS", 35),
    maxContextLength: intVar(env, "MAX_CONTEXT_LENGTH", 8192, 1),
    batchSize: intVar(env, "LLAMA_BATCH_SIZE", 2048, 1),
    rpcUrl,
    chainId: chainIdRaw,
    contracts: {
      jobMarketplace,
      nodeRegistry: textVar(env, "CONTRACT_NODE_REGISTRY"),
      hostEarnings: textVar(env, "CONTRACT_HOST_EARNINGS"),
      modelRegistry: textVar(env, "CONTRACT_MODEL_REGISTRY"),
      fabToken: textVar(env, "FAB_TOKEN"),
      usdcToken: textVar(env, "USDC_TOKEN"),
    },
    hostPrivateKey,
    chain,
    rustLog: textVar(env, "RUST_LOG") ?? "info",
    sim: {
      startupDelayMs: intVar(env, "SIM_STARTUP_DELAY_MS", 0),
      crashAfterMs: optionalIntVar(env, "SIM_CRASH_AFTER_MS"),
      crashAfterTokens: optionalIntVar(env, "SIM_CRASH_AFTER_TOKENS", 1),
      hangAfterMs: optionalIntVar(env, "SIM_HANG_AFTER_MS"),
      reject: flagVar(env, "SIM_REJECT"),
      tokensPerPrompt: intVar(env, "SIM_TOKENS_PER_PROMPT", 50, 1),
      tokenDelayMs: intVar(env, "SIM_TOKEN_DELAY_MS", 2),
      checkpointInterval: intVar(env, "SIM_CHECKPOINT_INTERVAL", CHECKPOINT_THRESHOLD, 1),
      proofDelayMs: intVar(env, "SIM_PROOF_DELAY_MS", 0),
      disputeBufferMs,
      failStart: flagVar(env, "SIM_FAIL_START"),
      ignoreSigterm: flagVar(env, "SIM_IGNORE_SIGTERM"),
    },
  };
}

/** Parses and validates the environment; never includes secret values in the error. */
export function parseSimEnv(env: SimEnv): ConfigResult {
  try {
    return { ok: true, config: parse(env) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error: error.message };
    throw error;
  }
}
