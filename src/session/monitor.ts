/**
 * The session monitor: follows every WebSocket connection through the front and keeps, per session, the job id, the
 * tokens the client received, and how it ended. It only reads frames; it never changes or delays them. Its events feed
 * the durable queue that the proof pipeline consumes.
 *
 * What counts is what reached the client, never what the node says it made: the front tells the monitor, for every
 * frame, what Bun's `ws.send` did with it (sent, queued under backpressure, dropped). Queued tokens count once the
 * socket drains; dropped ones never. A node's `tokens_used` can only lower a request's count, never raise it.
 */
import { readFrame, type FrameEvent } from "./frames.ts";

/** What the client socket did with a frame: Bun's `ws.send` returns >0 (sent), -1 (queued), 0 (dropped). */
export type Delivery = "sent" | "queued" | "dropped";

export type SessionEvent =
  | { type: "session_opened"; sessionId: string; jobId?: string; encrypted: boolean; at: number }
  | { type: "session_acked"; sessionId: string; jobId?: string; at: number }
  | { type: "tokens"; sessionId: string; total: number; at: number }
  | { type: "request_completed"; sessionId: string; tokensUsed: number; total: number; at: number }
  | { type: "session_closed"; sessionId: string; total: number; reason: CloseReason; at: number };

export type CloseReason = "session_end" | "client_closed" | "node_closed" | "front_stopped";

export interface SessionState {
  sessionId: string;
  jobId?: string;
  encrypted: boolean;
  /** Tokens of finished requests (from stream_end), plus the running count of the request in flight. */
  confirmedTokens: number;
  inflightTokens: number;
  /** Tokens in frames Bun queued under backpressure: they count once the socket drains. */
  queuedTokens: number;
  /** Tokens in frames the client socket dropped (it was closing): never counted. */
  droppedTokens: number;
  openedAt: number;
  closedAt?: number;
  closeReason?: CloseReason;
  requests: number;
}

/** Unanswered inits kept per connection: a client flooding inits cannot grow the monitor without bound. */
const MAX_PENDING_INITS = 64;

export interface MonitorOptions {
  now?: () => number;
  onEvent: (event: SessionEvent) => void;
}

interface Connection {
  sessions: Set<string>;
  current?: string;
  /** Inits the node has not answered yet: a session exists for us only once the node acknowledged it. */
  pendingInits: Map<string, { jobId?: string; encrypted: boolean }>;
}

export class SessionMonitor {
  private readonly sessions = new Map<string, SessionState>();
  private readonly connections = new Map<number, Connection>();
  private readonly now: () => number;
  private readonly emit: (event: SessionEvent) => void;
  /** Frames that failed to parse or named unknown sessions: counted, never fatal. */
  ignoredFrames = 0;

  constructor(options: MonitorOptions) {
    this.now = options.now ?? Date.now;
    this.emit = options.onEvent;
  }

  openConnection(connectionId: number): void {
    this.connections.set(connectionId, { sessions: new Set(), pendingInits: new Map() });
  }

  /**
   * A text frame from the client to the node. A client speaks only for the sessions on its own connection: naming
   * another connection's session in `session_end` ends nothing (the node refuses it too).
   */
  clientFrame(connectionId: number, data: string): void {
    this.clientEvent(connectionId, readFrame(data));
  }

  /** The same, for a frame the front has already read. */
  clientEvent(connectionId: number, event: FrameEvent | undefined): void {
    const connection = this.connections.get(connectionId);
    if (!event || !connection) return;
    if (event.kind === "session_init") {
      // Opened when the node acknowledges it: an init the node refuses (bad job id, wrong chain, garbage) never
      // becomes a session to prove, however many a hostile client sends.
      if (connection.pendingInits.size < MAX_PENDING_INITS) connection.pendingInits.set(event.sessionId, { jobId: event.jobId, encrypted: event.encrypted });
      connection.current = event.sessionId;
    } else if (event.kind === "session_end") {
      const sessionId = event.sessionId ?? connection.current;
      if (sessionId && connection.sessions.has(sessionId)) this.close(sessionId, "session_end");
    }
  }

  private open(connection: Connection, sessionId: string, ackJobId: string | undefined): SessionState {
    const init = connection.pendingInits.get(sessionId);
    connection.pendingInits.delete(sessionId);
    let state = this.sessions.get(sessionId);
    if (!state || state.closedAt !== undefined) {
      const jobId = init?.jobId ?? ackJobId;
      state = {
        sessionId,
        jobId,
        encrypted: init?.encrypted ?? false,
        confirmedTokens: state?.confirmedTokens ?? 0,
        inflightTokens: 0,
        queuedTokens: 0,
        droppedTokens: state?.droppedTokens ?? 0,
        openedAt: this.now(),
        requests: state?.requests ?? 0,
      };
      this.sessions.set(sessionId, state);
      this.emit({ type: "session_opened", sessionId, jobId: state.jobId, encrypted: state.encrypted, at: state.openedAt });
    }
    connection.sessions.add(sessionId);
    return state;
  }

  /** A text frame from the node to the client, and what the client socket did with it. */
  nodeFrame(connectionId: number, data: string, delivery: Delivery = "sent"): void {
    this.nodeEvent(connectionId, readFrame(data), delivery);
  }

  /** The same, for a frame the front has already read. */
  nodeEvent(connectionId: number, event: FrameEvent | undefined, delivery: Delivery = "sent"): void {
    if (!event) return;
    const connection = this.connections.get(connectionId);
    const sessionId = ("sessionId" in event && event.sessionId) || connection?.current;
    if (connection && sessionId && event.kind === "session_init_ack" && connection.pendingInits.has(sessionId)) this.open(connection, sessionId, event.jobId);
    if (connection && sessionId && event.kind === "error") connection.pendingInits.delete(sessionId);
    const state = sessionId && connection?.sessions.has(sessionId) ? this.sessions.get(sessionId) : undefined;
    if (!state || state.closedAt !== undefined) {
      this.ignoredFrames++;
      return;
    }
    const at = this.now();
    switch (event.kind) {
      case "session_init_ack":
        if (event.jobId && !state.jobId) state.jobId = event.jobId;
        this.emit({ type: "session_acked", sessionId: state.sessionId, jobId: state.jobId, at });
        break;
      case "tokens":
        if (delivery === "queued") state.queuedTokens += event.tokens;
        else if (delivery === "dropped") state.droppedTokens += event.tokens;
        else {
          state.inflightTokens += event.tokens;
          this.emit({ type: "tokens", sessionId: state.sessionId, total: state.confirmedTokens + state.inflightTokens, at });
        }
        break;
      case "stream_end": {
        // The node's own count may lower the request's count (it knows better what a chunk held), never raise it above
        // what was delivered. Tokens still queued count when the socket drains.
        const used = Math.min(event.tokensUsed ?? state.inflightTokens, state.inflightTokens);
        state.confirmedTokens += used;
        state.inflightTokens = 0;
        state.requests++;
        this.emit({ type: "request_completed", sessionId: state.sessionId, tokensUsed: used, total: state.confirmedTokens, at });
        break;
      }
      default:
        break;
    }
  }

  /** The client socket drained (Bun's `drain`): what it had queued reached the client, so it counts now. */
  drained(connectionId: number): void {
    const connection = this.connections.get(connectionId);
    if (!connection) return;
    for (const sessionId of connection.sessions) {
      const state = this.sessions.get(sessionId);
      if (!state || state.closedAt !== undefined || state.queuedTokens === 0) continue;
      state.inflightTokens += state.queuedTokens;
      state.queuedTokens = 0;
      this.emit({ type: "tokens", sessionId, total: state.confirmedTokens + state.inflightTokens, at: this.now() });
    }
  }

  /** The socket closed: every session it carried ends, with the side that closed it. */
  closeConnection(connectionId: number, reason: CloseReason): void {
    const connection = this.connections.get(connectionId);
    if (!connection) return;
    this.connections.delete(connectionId);
    for (const sessionId of connection.sessions) this.close(sessionId, reason);
  }

  private close(sessionId: string, reason: CloseReason): void {
    const state = this.sessions.get(sessionId);
    if (!state || state.closedAt !== undefined) return;
    // Tokens delivered in a request the socket cut short count; tokens still queued never reached the client.
    state.confirmedTokens += state.inflightTokens;
    state.inflightTokens = 0;
    state.droppedTokens += state.queuedTokens;
    state.queuedTokens = 0;
    state.closedAt = this.now();
    state.closeReason = reason;
    this.emit({ type: "session_closed", sessionId, total: state.confirmedTokens, reason, at: state.closedAt });
  }

  session(sessionId: string): SessionState | undefined {
    const state = this.sessions.get(sessionId);
    return state ? { ...state } : undefined;
  }

  activeSessions(): SessionState[] {
    return [...this.sessions.values()].filter((s) => s.closedAt === undefined).map((s) => ({ ...s }));
  }

  /** Forgets closed sessions (their events are already in the durable queue). */
  prune(olderThanMs: number): void {
    const cutoff = this.now() - olderThanMs;
    for (const [id, state] of this.sessions) if (state.closedAt !== undefined && state.closedAt < cutoff) this.sessions.delete(id);
  }
}
