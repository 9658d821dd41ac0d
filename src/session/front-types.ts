/**
 * The session front's shapes: its options, its counters, the handle it returns, and what it keeps on each client
 * socket. Kept apart from front.ts so the modules that share the front's work (front-http.ts) can name them without
 * importing the front itself.
 */
import type { ServerWebSocket } from "bun";
import type { SessionMonitor } from "./monitor.ts";
import type { Admitted } from "./admission.ts";
import type { JobGate } from "./job-gate.ts";
import type { RefusalSummary } from "./refusals.ts";
import type { FrontRoute, HttpRoute } from "./router.ts";

export interface FrontOptions {
  hostname: string;
  port: number;
  /** The node's loopback address, e.g. http://127.0.0.1:8081 */
  upstream: string;
  monitor: SessionMonitor;
  maxConnections?: number;
  /** Sockets one client address may hold (default: an eighth of maxConnections). */
  maxPerAddress?: number;
  /** Largest frame (and HTTP body) accepted from a client, bytes. */
  maxFrameBytes?: number;
  /** A socket that sends no session_init within this is closed (default 10 s). */
  initTimeoutMs?: number;
  /** A socket quiet this long may give its place to a newcomer when the port is full (default 30 s). */
  quietMs?: number;
  /** Bun's idle timeout, seconds: a peer that answers nothing, not even pings, is dropped (default 120). */
  idleTimeoutSeconds?: number;
  /** Checks each session_init's job; without it every init goes to the node. */
  jobGate?: JobGate;
  /** Refusals are summed per address over this window, then reported once (default 60 s). */
  refusalWindowMs?: number;
  onRefusals?: (summary: RefusalSummary) => void;
  now?: () => number;
  onError?: (message: string, meta?: Record<string, unknown>) => void;
  /** Several nodes (router.ts): a socket's first frame picks its node; its frames wait until the node is known. */
  route?: FrontRoute;
  routeHttp?: HttpRoute;
}

export interface FrontStats {
  connections: number;
  totalConnections: number;
  rejectedConnections: number;
  evictedConnections: number;
  initTimeouts: number;
  refusedSessions: number;
  badRequests: number;
  framesToNode: number;
  framesToClient: number;
  droppedFrames: number;
}

export interface SessionFront {
  port: number;
  stats(): FrontStats;
  /** Stops accepting, waits for open sockets to finish (up to the deadline), then closes what is left. */
  stop(options?: { drainMs?: number }): Promise<void>;
}

export interface SocketData extends Admitted {
  id: number;
  path: string;
  upstream?: WebSocket;
  pending: (string | ArrayBuffer | Uint8Array)[];
  /** Frames held while a session_init's job is being checked, or the socket's node chosen, in order. */
  held?: (string | Buffer)[];
  heldBytes?: number;
  /** With a router: no node yet; the first frame held picks it. */
  unrouted?: boolean;
  /** The front greeted the client itself (routed sockets): the node's own greeting is dropped. */
  greeted?: boolean;
  closed: boolean;
}

export type Socket = ServerWebSocket<SocketData>;
