/**
 * Starts the node stand-in: parses the environment, prints the real node's
 * startup lines, serves HTTP and the WebSocket on one port, and "loads the
 * model" after SIM_STARTUP_DELAY_MS.
 */
import { randomUUID } from "node:crypto";
import { computeAddress } from "ethers";
import { ChainSubmitter } from "./chain.ts";
import { parseSimEnv, MIN_PROVEN_TOKENS, type SimConfig, type SimEnv } from "./config.ts";
import type { SimContext } from "./context.ts";
import { Faults } from "./faults.ts";
import { DEFAULT_SIM_VERSION, route } from "./http.ts";
import { createSimLog, type LogSinks, type SimLog } from "./log.ts";
import { SimMetrics } from "./metrics.ts";
import { SessionRegistry } from "./sessions.ts";
import { handleClose, handleMessage, handleOpen, newConnection, type Connection, type SimSocket } from "./ws.ts";

/** A refusal to start; the entry point prints it on stderr and exits 1, like the real node. */
export class StartupError extends Error {}

export interface NodeSimOptions {
  /** Where log lines go (default: stdout/stderr). */
  sinks?: LogSinks;
  /** How the crash switches end the process (default: process.exit). */
  exit?: (code: number) => void;
}

export interface NodeSimHandle {
  port: number;
  config: SimConfig;
  /** Resolves once the model is "loaded", the port bound and the readiness lines printed (port is 0 until then with API_PORT=0). */
  ready: Promise<void>;
  /** Closes every WebSocket with 1001, stops listening and abandons pending chain waits. */
  stop(): Promise<void>;
}

/** Closing code a server sends when it goes away (RFC 6455 §7.4.1). */
const GOING_AWAY = 1001;

function logBanner(log: SimLog, config: SimConfig, version: string): void {
  // The real node's first lines (fabstir-llm-node@85a87b8 src/main.rs:29-31).
  log.say("🚀 Starting Fabstir LLM Node...");
  log.say(`📦 BUILD VERSION: ${version}`);
  log.info(
    `Configuration: API_PORT=${config.apiPort} P2P_PORT=${config.p2pPort} GPU_LAYERS=${config.gpuLayers} ` +
      `MAX_CONTEXT_LENGTH=${config.maxContextLength} LLAMA_BATCH_SIZE=${config.batchSize}`,
  );
  log.info(`🌐 P2P listening on /ip4/0.0.0.0/tcp/${config.p2pPort} (simulated: no peers)`);
  if (config.rpcUrl) log.info(`⛓️  Chain ${config.chainId ?? "(from RPC)"} via ${config.rpcUrl}`);
  else log.warn("RPC_URL is not set: falling back to the built-in public RPC");
  if (config.hostPrivateKey) {
    log.info(`🔑 Host key loaded for ${computeAddress(normalizeKey(config.hostPrivateKey))}`);
    log.info(config.chain ? "📝 Checkpoint proofs will be submitted on chain" : "Checkpoints recorded only (no RPC/marketplace)");
  } else {
    log.info("No HOST_PRIVATE_KEY: encrypted sessions unavailable, checkpoints recorded only");
  }
  if (config.chain && config.sim.checkpointInterval < MIN_PROVEN_TOKENS) {
    log.warn(`SIM_CHECKPOINT_INTERVAL ${config.sim.checkpointInterval} is below ${MIN_PROVEN_TOKENS}: such proofs revert`);
  }
  log.say(`📦 Loading model: ${config.modelPath}`);
}

function normalizeKey(key: string): string {
  return key.startsWith("0x") ? key : `0x${key}`;
}

export async function startNodeSim(env: SimEnv, options: NodeSimOptions = {}): Promise<NodeSimHandle> {
  const failStart = (env.SIM_FAIL_START ?? "").trim();
  if (failStart !== "" && failStart !== "0" && failStart !== "false") {
    throw new StartupError("CUDA error: out of memory while creating the llama context (SIM_FAIL_START)");
  }
  const parsed = parseSimEnv(env);
  if (!parsed.ok) throw new StartupError(parsed.error);
  const config = parsed.config;
  const version = env.SIM_VERSION?.trim() || DEFAULT_SIM_VERSION;
  const log = createSimLog(config.rustLog, config.hostPrivateKey, options.sinks);
  const metrics = new SimMetrics();
  const state = { modelLoaded: false, modelId: "", stopping: false, chainFailure: undefined as string | undefined };
  const chainSettings = config.chain ? { ...config.chain, hostPrivateKey: normalizeKey(config.chain.hostPrivateKey) } : undefined;
  const chain = chainSettings
    ? new ChainSubmitter(chainSettings, log, metrics, (failure) => {
        state.chainFailure = failure;
      })
    : undefined;
  const ctx: SimContext = {
    config,
    log,
    sessions: new SessionRegistry(config.sim.checkpointInterval, config.sim.checkpointInterval),
    metrics,
    faults: new Faults(config.sim, log, options.exit ?? ((code) => process.exit(code))),
    chain,
    state,
  };

  logBanner(log, config, version);

  const sockets = new Set<SimSocket>();
  const hanging = new Set<(response: Response) => void>();
  let server: ReturnType<typeof Bun.serve<Connection>> | undefined;
  const listen = () =>
    Bun.serve<Connection>({
      hostname: config.apiHost,
      port: config.apiPort,
      fetch(request, srv) {
        if (ctx.faults.hung) {
          // A hung node accepts the connection and never answers.
          return new Promise<Response>((resolve) => hanging.add(resolve));
        }
        if (new URL(request.url).pathname === "/v1/ws" && request.headers.get("upgrade")?.toLowerCase() === "websocket") {
          if (srv.upgrade(request, { data: newConnection() })) return undefined;
          return new Response(null, { status: 400 });
        }
        return route(ctx, request, version);
      },
      websocket: {
        idleTimeout: 0,
        open(ws) {
          sockets.add(ws);
          handleOpen(ctx, ws);
        },
        message(ws, message) {
          handleMessage(ctx, ws, message);
        },
        close(ws) {
          sockets.delete(ws);
          handleClose(ctx, ws);
        },
      },
    });
  ctx.faults.arm();

  // The real node loads the model, then binds the API server, then prints "API server started" once the checkpoint
  // manager is set up (fabstir-llm-node@85a87b8 src/main.rs:251-270, 327-357, 544-615): nothing answers on the port
  // while the model loads.
  let loadTimer: ReturnType<typeof setTimeout> | undefined;
  let port = config.apiPort;
  const ready = new Promise<void>((resolve, reject) => {
    loadTimer = setTimeout(() => {
      state.modelLoaded = true;
      state.modelId = randomUUID();
      log.say(`✅ Model loaded successfully (ID: ${state.modelId})`);
      log.say(`   GPU layers: ${config.gpuLayers}`);
      log.say(`   Context size: ${config.maxContextLength} tokens`);
      log.say("🌐 Starting API server...");
      try {
        server = listen();
      } catch (error) {
        reject(new StartupError(`Failed to start API server on ${config.apiHost}:${config.apiPort}: ${String(error)}`));
        return;
      }
      port = server.port ?? config.apiPort;
      void chain?.describe();
      log.say(config.hostPrivateKey ? "✅ Checkpoint manager initialized - payments enabled!" : "ℹ️  HOST_PRIVATE_KEY not set - checkpoint submission disabled");
      log.say(`✅ API server started on http://0.0.0.0:${port}`);
      log.say("🎉 Fabstir LLM Node is running with REAL inference!");
      resolve();
    }, config.sim.startupDelayMs);
  });
  if (config.sim.startupDelayMs === 0) await ready;
  else
    void ready.catch((error: Error) => {
      log.error(`❌ Error: ${error.message}`);
      (options.exit ?? ((code) => process.exit(code)))(1);
    });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      state.stopping = true;
      clearTimeout(loadTimer);
      ctx.faults.disarm();
      for (const ws of sockets) {
        handleClose(ctx, ws);
        ws.close(GOING_AWAY, "node shutting down");
      }
      chain?.stop();
      // Give the close frames a moment to leave before the listener goes.
      await Bun.sleep(50);
      for (const resolve of hanging) resolve(new Response(null, { status: 503 }));
      hanging.clear();
      await server?.stop(true);
    })();
    return stopped;
  };

  return {
    get port() {
      return port;
    },
    config,
    ready,
    stop,
  };
}
