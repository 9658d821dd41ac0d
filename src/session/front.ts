/**
 * The session front: the public API port. HTTP requests (front-http.ts) and WebSocket frames pass through to the node
 * on loopback unchanged (plaintext and encrypted alike); the monitor reads a copy of each text frame. It streams (no
 * whole-message buffering beyond one frame), caps frame sizes, admits fairly (admission.ts), checks a session_init's job
 * before the node sees it (job-gate.ts), routes each socket to the node of its job's model when several run
 * (router.ts), answers strangers with short responses of its own (public-responses.ts), counts only tokens the client
 * socket took, and gives clients a proper close when the node goes away.
 */
import type { Server } from "bun";
import { frameType, readFrame, type FrameEvent } from "./frames.ts";
import { Admission, defaultPerAddress } from "./admission.ts";
import type { JobVerdict } from "./job-gate.ts";
import { RefusalTally } from "./refusals.ts";
import { QuietLog, publicAnswer } from "./public-responses.ts";
import { NODE_WELCOME } from "./router.ts";
import { answerRequest } from "./front-http.ts";
import type { FrontOptions, FrontStats, SessionFront, Socket, SocketData } from "./front-types.ts";

export type { FrontOptions, FrontStats, SessionFront } from "./front-types.ts";

/**
 * The SDK sends images up to 10 MB, base64 then hex-encoded inside `encrypted_message`: about 27 MB per frame
 * (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/utils/image-validation.ts:7). 32 MiB leaves room for the JSON around it.
 */
export const DEFAULT_MAX_FRAME_BYTES = 32 * 1024 * 1024;

/** Frames a client may send while its init is checked (one RPC read): enough for a pipelined prompt, not a flood. */
const MAX_HELD_FRAMES = 16;

export function startSessionFront(options: FrontOptions): SessionFront {
  const { monitor } = options;
  const now = options.now ?? Date.now;
  const upstreamHttp = options.upstream.replace(/\/$/, "");
  const upstreamWs = upstreamHttp.replace(/^http/, "ws");
  const maxConnections = options.maxConnections ?? 1024;
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const initTimeoutMs = options.initTimeoutMs ?? 10_000;
  const onError = options.onError ?? (() => {});
  const quiet = new QuietLog(onError, now);
  const admission = new Admission<Socket>({
    maxConnections,
    perAddress: options.maxPerAddress ?? defaultPerAddress(maxConnections),
    quietMs: options.quietMs ?? 30_000,
  });
  const refusals = new RefusalTally({ windowMs: options.refusalWindowMs ?? 60_000, now, report: (summary) => options.onRefusals?.(summary) });
  const stats: FrontStats = {
    connections: 0,
    totalConnections: 0,
    rejectedConnections: 0,
    evictedConnections: 0,
    initTimeouts: 0,
    refusedSessions: 0,
    badRequests: 0,
    framesToNode: 0,
    framesToClient: 0,
    droppedFrames: 0,
  };
  let nextId = 1;
  let accepting = true;
  /** The time to a second or so, kept by the sweep: activity is stamped on every frame, a clock read each is waste. */
  let coarseNow = now();

  const endSocket = (ws: Socket, code: number, reason: string, closeReason: "front_stopped" | "client_closed") => {
    if (!ws.data.closed) {
      ws.data.closed = true;
      monitor.closeConnection(ws.data.id, closeReason);
    }
    ws.close(code, reason);
    ws.data.upstream?.close(code === 1001 ? 1001 : 1000);
  };

  const connectUpstream = (ws: Socket, base = upstreamWs) => {
    const upstream = new WebSocket(`${base}${ws.data.path}`);
    upstream.binaryType = "arraybuffer";
    ws.data.upstream = upstream;
    upstream.onopen = () => {
      for (const frame of ws.data.pending) upstream.send(frame);
      ws.data.pending = [];
    };
    upstream.onmessage = (event) => {
      const data = event.data as string | ArrayBuffer;
      if (ws.data.closed) return;
      if (ws.data.greeted && typeof data === "string" && data.includes('"type":"connected"')) {
        ws.data.greeted = false; // the client heard the front's greeting in the node's words already
        return;
      }
      ws.data.lastActivity = coarseNow;
      // What the client socket did with the frame decides what counts (monitor.ts): >0 sent, -1 queued, 0 dropped.
      const status = ws.send(typeof data === "string" ? data : new Uint8Array(data));
      stats.framesToClient++;
      if (status === 0) stats.droppedFrames++;
      if (typeof data === "string") monitor.nodeEvent(ws.data.id, readFrame(data), status > 0 ? "sent" : status === -1 ? "queued" : "dropped");
    };
    upstream.onclose = (event) => {
      if (ws.data.closed) return;
      ws.data.closed = true;
      monitor.closeConnection(ws.data.id, "node_closed");
      // 1006 means the node vanished (crash, restart): tell the client to come back, not that it did something wrong.
      const code = event.code === 1000 || event.code === 1001 ? event.code : 1012;
      ws.close(code, code === 1012 ? "node restarting" : event.reason.slice(0, 120));
    };
    upstream.onerror = () => {
      onError("node WebSocket failed", { connection: ws.data.id });
    };
  };

  const toNode = (ws: Socket, message: string | Buffer, event: FrameEvent | undefined) => {
    if (typeof message === "string") monitor.clientEvent(ws.data.id, event);
    const upstream = ws.data.upstream;
    if (upstream && upstream.readyState === WebSocket.OPEN) upstream.send(message);
    else ws.data.pending.push(message);
  };

  /**
   * An error frame shaped like the node's (keys in serde's alphabetical order, the request id echoed: fabstir-llm-node@85a87b8
   * src/api/server.rs:2460-2467), then a close (1008, policy violation).
   */
  const refuse = (ws: Socket, init: Extract<FrameEvent, { kind: "session_init" }>, verdict: Extract<JobVerdict, { ok: false }>) => {
    stats.refusedSessions++;
    refusals.note(ws.data.address, verdict.code, init.jobId);
    const frame: Record<string, unknown> = {
      code: verdict.code,
      ...(init.messageId !== undefined ? { id: init.messageId } : {}),
      message: verdict.message,
      session_id: init.sessionId,
      type: "error",
    };
    ws.send(JSON.stringify(frame));
    endSocket(ws, 1008, "job refused", "client_closed");
  };

  /** Lets the held frames through once the init's job passed, or refuses the socket. */
  const settle = (ws: Socket, init: Extract<FrameEvent, { kind: "session_init" }>, verdict: JobVerdict) => {
    const held = ws.data.held ?? [];
    ws.data.held = undefined;
    ws.data.heldBytes = 0;
    if (ws.data.closed) return;
    if (!verdict.ok) return refuse(ws, init, verdict);
    for (const frame of held) fromClient(ws, frame);
  };

  /**
   * A socket the router would send nowhere. A job that does not exist, is not active or is another host's has no model
   * either: the job check's answer says more than "no model", so it is asked first (and counted, as every refusal).
   */
  const refuseUnrouted = async (ws: Socket, first: string | Buffer, refusal: string) => {
    const init = typeof first === "string" ? readFrame(first) : undefined;
    if (init?.kind === "session_init" && options.jobGate) {
      const verdict = await options.jobGate.check(init.jobId);
      if (!verdict.ok) return refuse(ws, init, verdict);
    }
    ws.send(refusal);
    endSocket(ws, 1008, "model not served here", "client_closed");
  };

  /** With several nodes: the first frame picks the node (router.ts); a refusal is answered here and no node sees it. */
  const route = (ws: Socket, first: string | Buffer) => {
    options.route!(typeof first === "string" ? first : "").then(
      (decision) => {
        if (ws.data.closed) return;
        const held = ws.data.held ?? [];
        ws.data.held = undefined;
        ws.data.heldBytes = 0;
        ws.data.unrouted = false;
        if ("refuse" in decision) return refuseUnrouted(ws, first, decision.refuse);
        connectUpstream(ws, decision.upstream.replace(/\/$/, "").replace(/^http/, "ws"));
        // Through the usual path now: the job check (with its own hold) and the monitor see them in order.
        for (const frame of held) fromClient(ws, frame);
      },
      (error) => {
        onError("routing failed", { connection: ws.data.id, error: (error as Error).message });
        endSocket(ws, 1011, "routing failed", "client_closed");
      },
    );
  };

  const fromClient = (ws: Socket, message: string | Buffer) => {
    if (ws.data.held) {
      // Held in memory while one RPC read runs: a few frames, at most one frame's worth of bytes.
      ws.data.heldBytes = (ws.data.heldBytes ?? 0) + message.length;
      if (ws.data.held.length >= MAX_HELD_FRAMES || ws.data.heldBytes > maxFrameBytes)
        return endSocket(ws, 1008, "too much sent before the session was checked", "client_closed");
      ws.data.held.push(message);
      if (ws.data.unrouted && ws.data.held.length === 1) {
        if (typeof message === "string" && readFrame(message)?.kind === "session_init") ws.data.initSeen = true;
        route(ws, message);
      }
      return;
    }
    const event = typeof message === "string" ? readFrame(message) : undefined;
    if (event === undefined && typeof message === "string" && options.jobGate && /^(encrypted_)?session_init$/.test(frameType(message) ?? "")) {
      // An init with no session id to track: the node would ack it as "unknown" and serve it, unbillable. The SDK
      // always names its session (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/SessionManager.ts:2120-2125).
      stats.refusedSessions++;
      refusals.note(ws.data.address, "INVALID_REQUEST", undefined);
      ws.send(JSON.stringify({ code: "INVALID_REQUEST", message: "session_init needs a session_id", type: "error" }));
      return endSocket(ws, 1008, "session_init without a session id", "client_closed");
    }
    if (event?.kind === "session_init") {
      ws.data.initSeen = true;
      // An encrypted init without a plaintext job id carries it inside the payload only the node can decrypt (the SDK
      // sends it in plaintext too, SessionManager.ts:2120-2125): the node checks that one.
      const verdict = event.encrypted && event.jobId === undefined ? undefined : options.jobGate?.check(event.jobId);
      if (verdict instanceof Promise) {
        ws.data.held = [message];
        ws.data.heldBytes = message.length;
        void verdict.then((v) => settle(ws, event, v));
        return;
      }
      if (verdict && !verdict.ok) return refuse(ws, event, verdict);
    }
    toNode(ws, message, event);
  };

  const server: Server<SocketData> = Bun.serve<SocketData>({
    hostname: options.hostname,
    port: options.port,
    // Never Bun's development error page (source, stack, paths) for a stranger.
    development: false,
    // Bun shares a port between servers started with development: false unless told not to: a second host (or any
    // other program) on the public port must fail to start, not silently take half the connections.
    reusePort: false,
    maxRequestBodySize: maxFrameBytes,
    error(error) {
      stats.badRequests++;
      quiet.note("internal", "public port request failed", { error: error.message.slice(0, 200) });
      return publicAnswer("internal");
    },
    fetch(request, srv) {
      return answerRequest({ options, upstreamHttp, stats, quiet, upgrade }, request, srv);
    },
    websocket: {
      maxPayloadLength: maxFrameBytes,
      idleTimeout: options.idleTimeoutSeconds ?? 120,
      perMessageDeflate: false,
      open(ws) {
        admission.add(ws);
        stats.connections = admission.size;
        stats.totalConnections++;
        monitor.openConnection(ws.data.id);
        if (!options.route) return connectUpstream(ws);
        ws.data.held = [];
        ws.data.heldBytes = 0;
        ws.data.unrouted = true;
        ws.data.greeted = true;
        ws.send(NODE_WELCOME);
      },
      message(ws, message) {
        stats.framesToNode++;
        ws.data.lastActivity = coarseNow;
        fromClient(ws, message);
      },
      drain(ws) {
        monitor.drained(ws.data.id);
      },
      close(ws, code) {
        admission.remove(ws);
        stats.connections = admission.size;
        if (!ws.data.closed) {
          ws.data.closed = true;
          monitor.closeConnection(ws.data.id, "client_closed");
        }
        const upstream = ws.data.upstream;
        if (upstream && upstream.readyState <= WebSocket.OPEN) upstream.close(code >= 3000 || code === 1000 ? code : 1000);
      },
    },
  });

  function upgrade(request: Request, srv: Server<SocketData>, address: string, path: string): Response | undefined {
    const at = (coarseNow = now());
    const verdict = accepting ? admission.consider(address, at) : ({ admit: false, reason: "host_full" } as const);
    if (!verdict.admit) {
      stats.rejectedConnections++;
      quiet.note(
        verdict.reason,
        verdict.reason === "address_full" ? "connection refused: the address holds its share" : "connection refused: every socket is busy",
        { address },
      );
      return publicAnswer(verdict.reason);
    }
    const data: SocketData = { id: nextId++, path, pending: [], closed: false, address, openedAt: at, lastActivity: at, initSeen: false };
    if (!srv.upgrade(request, { data })) return publicAnswer("upgrade_failed");
    if (verdict.evict) {
      // Made room: a newcomer goes ahead of a socket doing nothing.
      stats.evictedConnections++;
      admission.remove(verdict.evict);
      endSocket(verdict.evict, 1013, "idle: place given to a new session", "client_closed");
    }
    return undefined;
  }

  // Sockets that never say which session they are for give their place back.
  const sweep = setInterval(
    () => {
      coarseNow = now();
      for (const ws of admission.withoutInit(coarseNow, initTimeoutMs)) {
        stats.initTimeouts++;
        admission.remove(ws);
        endSocket(ws, 1008, "session_init expected", "client_closed");
      }
    },
    Math.max(20, Math.min(1000, Math.floor(initTimeoutMs / 4))),
  );
  (sweep as { unref?: () => void }).unref?.();

  return {
    port: server.port!,
    stats: () => ({ ...stats, connections: admission.size }),
    async stop({ drainMs = 0 } = {}) {
      accepting = false;
      clearInterval(sweep);
      const deadline = Date.now() + drainMs;
      while (admission.size > 0 && Date.now() < deadline) await Bun.sleep(50);
      for (const ws of [...admission.all()]) endSocket(ws, 1001, "host shutting down", "front_stopped");
      refusals.flushAll();
      server.stop(true);
    },
  };
}
