/**
 * The session front: the public API port. HTTP requests and WebSocket frames pass through to the node on loopback
 * unchanged (plaintext and encrypted alike); the monitor reads a copy of each text frame. It streams (no whole-message
 * buffering beyond one frame), caps frame sizes, limits connections, and gives clients a proper close when the node goes
 * away, so the monitor's view of every session stays right.
 */
import type { Server, ServerWebSocket } from "bun";
import type { SessionMonitor } from "./monitor.ts";
import { NODE_WELCOME, type FrontRoute, type HttpRoute } from "./router.ts";

export interface FrontOptions {
  hostname: string;
  port: number;
  /** The node's loopback address, e.g. http://127.0.0.1:8081 */
  upstream: string;
  monitor: SessionMonitor;
  maxConnections?: number;
  /** Largest frame accepted from a client, bytes (the node's own limit is higher than any real prompt). */
  maxFrameBytes?: number;
  onError?: (message: string, meta?: Record<string, unknown>) => void;
  /** Several nodes (src/session/router.ts): a socket's first frame picks its node; frames wait until it is known. */
  route?: FrontRoute;
  routeHttp?: HttpRoute;
}

export interface FrontStats {
  connections: number;
  totalConnections: number;
  rejectedConnections: number;
  framesToNode: number;
  framesToClient: number;
}

export interface SessionFront {
  port: number;
  stats(): FrontStats;
  /** Stops accepting, waits for open sockets to finish (up to the deadline), then closes what is left. */
  stop(options?: { drainMs?: number }): Promise<void>;
}

interface SocketData {
  id: number;
  path: string;
  upstream?: WebSocket;
  pending: (string | ArrayBuffer | Uint8Array)[];
  closed: boolean;
  /** With a router: frames held (unseen by the monitor) until the node is known. */
  held?: (string | ArrayBuffer | Uint8Array)[];
  /** The client was already greeted: the node's own greeting is dropped. */
  greeted?: boolean;
}

/** Frames a routed socket may send before its node is known (the init, a prompt or two). */
const MAX_HELD_FRAMES = 64;

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host"];

export function startSessionFront(options: FrontOptions): SessionFront {
  const { monitor } = options;
  const upstreamHttp = options.upstream.replace(/\/$/, "");
  const upstreamWs = upstreamHttp.replace(/^http/, "ws");
  const maxConnections = options.maxConnections ?? 1024;
  const onError = options.onError ?? (() => {});
  const sockets = new Set<ServerWebSocket<SocketData>>();
  const stats: FrontStats = { connections: 0, totalConnections: 0, rejectedConnections: 0, framesToNode: 0, framesToClient: 0 };
  let nextId = 1;
  let accepting = true;

  const connectUpstream = (ws: ServerWebSocket<SocketData>, base = upstreamWs) => {
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
        ws.data.greeted = false;
        return;
      }
      ws.send(typeof data === "string" ? data : new Uint8Array(data));
      stats.framesToClient++;
      if (typeof data === "string") monitor.nodeFrame(ws.data.id, data);
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

  const server: Server<SocketData> = Bun.serve<SocketData>({
    hostname: options.hostname,
    port: options.port,
    async fetch(request, srv) {
      const url = new URL(request.url);
      if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
        if (!accepting || sockets.size >= maxConnections) {
          stats.rejectedConnections++;
          return new Response(JSON.stringify({ error: "host busy", retry: true }), { status: 503, headers: { "content-type": "application/json", "retry-after": "5" } });
        }
        const upgraded = srv.upgrade(request, { data: { id: nextId++, path: url.pathname + url.search, pending: [], closed: false } });
        return upgraded ? undefined : new Response("WebSocket upgrade failed", { status: 400 });
      }
      return proxyHttp(request, url, srv.requestIP(request)?.address);
    },
    websocket: {
      maxPayloadLength: options.maxFrameBytes ?? 8 * 1024 * 1024,
      idleTimeout: 960,
      perMessageDeflate: false,
      open(ws) {
        sockets.add(ws);
        stats.connections = sockets.size;
        stats.totalConnections++;
        monitor.openConnection(ws.data.id);
        if (!options.route) return connectUpstream(ws);
        ws.data.held = [];
        ws.data.greeted = true;
        ws.send(NODE_WELCOME);
      },
      message(ws, message) {
        stats.framesToNode++;
        if (ws.data.held) return holdUntilRouted(ws, message);
        if (typeof message === "string") monitor.clientFrame(ws.data.id, message);
        const upstream = ws.data.upstream;
        if (upstream && upstream.readyState === WebSocket.OPEN) upstream.send(message);
        else ws.data.pending.push(message);
      },
      close(ws, code) {
        sockets.delete(ws);
        stats.connections = sockets.size;
        if (!ws.data.closed) {
          ws.data.closed = true;
          monitor.closeConnection(ws.data.id, "client_closed");
        }
        const upstream = ws.data.upstream;
        if (upstream && upstream.readyState <= WebSocket.OPEN) upstream.close(code >= 3000 || code === 1000 ? code : 1000);
      },
    },
  });

  /** The first frame picks the node; a refusal is answered here and no node ever sees the socket. */
  function holdUntilRouted(ws: ServerWebSocket<SocketData>, message: string | Buffer) {
    const held = ws.data.held!;
    held.push(message);
    // Clients wait for their init's answer; a flood before the route is known is not a client.
    if (held.length > MAX_HELD_FRAMES) return ws.close(1008, "too many frames before the session was routed");
    if (held.length > 1) return;
    options.route!(typeof message === "string" ? message : "").then(
      (decision) => {
        if (ws.data.closed) return;
        ws.data.held = undefined;
        if ("refuse" in decision) {
          // The monitor never saw this socket's frames; the close handler still tells it the connection is gone.
          ws.send(decision.refuse);
          ws.close(1008, "model not served here");
          return;
        }
        for (const frame of held) if (typeof frame === "string") monitor.clientFrame(ws.data.id, frame);
        ws.data.pending = held;
        connectUpstream(ws, decision.upstream.replace(/\/$/, "").replace(/^http/, "ws"));
      },
      (error) => {
        onError("routing failed", { connection: ws.data.id, error: (error as Error).message });
        ws.close(1011, "routing failed");
      },
    );
  }

  async function proxyHttp(request: Request, url: URL, clientIp: string | undefined): Promise<Response> {
    let target = upstreamHttp;
    let body: ReadableStream | ArrayBuffer | null | undefined = request.method === "GET" || request.method === "HEAD" ? undefined : request.body;
    if (options.routeHttp) {
      const routed = await options.routeHttp(request, url.pathname).catch((error: Error) => ({ refuse: Response.json({ error: `could not route the request: ${error.message.slice(0, 120)}`, retry: true }, { status: 502 }) }));
      if ("refuse" in routed) return routed.refuse;
      target = routed.upstream.replace(/\/$/, "");
      if (routed.body) body = routed.body;
    }
    const headers = new Headers(request.headers);
    for (const name of HOP_BY_HOP) headers.delete(name);
    if (clientIp) headers.set("x-forwarded-for", clientIp);
    try {
      const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
        method: request.method,
        headers,
        body,
        redirect: "manual",
      });
      const responseHeaders = new Headers(upstream.headers);
      for (const name of ["connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length"]) responseHeaders.delete(name);
      return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: responseHeaders });
    } catch (error) {
      onError("node unreachable for HTTP", { path: url.pathname, error: (error as Error).message });
      return new Response(JSON.stringify({ error: "node unavailable", retry: true }), { status: 502, headers: { "content-type": "application/json" } });
    }
  }

  return {
    port: server.port!,
    stats: () => ({ ...stats }),
    async stop({ drainMs = 0 } = {}) {
      accepting = false;
      const deadline = Date.now() + drainMs;
      while (sockets.size > 0 && Date.now() < deadline) await Bun.sleep(50);
      for (const ws of sockets) {
        if (!ws.data.closed) {
          ws.data.closed = true;
          monitor.closeConnection(ws.data.id, "front_stopped");
        }
        ws.close(1001, "host shutting down");
        ws.data.upstream?.close(1001);
      }
      server.stop(true);
    },
  };
}
