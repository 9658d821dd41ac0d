/**
 * The session monitor: follows every WebSocket connection through the front and keeps, per session, the job id, the
 * tokens generated, and how it ended. It only reads frames; it never changes or delays them. Its events feed the
 * durable queue that the proof pipeline consumes.
 */
import { readFrame } from "./frames.ts";

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
  openedAt: number;
  closedAt?: number;
  closeReason?: CloseReason;
  requests: number;
}

export interface MonitorOptions {
  now?: () => number;
  onEvent: (event: SessionEvent) => void;
}

interface Connection {
  sessions: Set<string>;
  current?: string;
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
    this.connections.set(connectionId, { sessions: new Set() });
  }

  /** A text frame from the client to the node. */
  clientFrame(connectionId: number, data: string): void {
    const event = readFrame(data);
    const connection = this.connections.get(connectionId);
    if (!event || !connection) return;
    if (event.kind === "session_init") {
      let state = this.sessions.get(event.sessionId);
      if (!state || state.closedAt !== undefined) {
        state = { sessionId: event.sessionId, jobId: event.jobId, encrypted: event.encrypted, confirmedTokens: state?.confirmedTokens ?? 0, inflightTokens: 0, openedAt: this.now(), requests: state?.requests ?? 0 };
        this.sessions.set(event.sessionId, state);
        this.emit({ type: "session_opened", sessionId: state.sessionId, jobId: state.jobId, encrypted: state.encrypted, at: state.openedAt });
      }
      connection.sessions.add(event.sessionId);
      connection.current = event.sessionId;
    } else if (event.kind === "session_end") {
      const sessionId = event.sessionId ?? connection.current;
      if (sessionId) this.close(sessionId, "session_end");
    }
  }

  /** A text frame from the node to the client. */
  nodeFrame(connectionId: number, data: string): void {
    const event = readFrame(data);
    if (!event) return;
    const connection = this.connections.get(connectionId);
    const sessionId = ("sessionId" in event && event.sessionId) || connection?.current;
    const state = sessionId ? this.sessions.get(sessionId) : undefined;
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
        state.inflightTokens += event.tokens;
        this.emit({ type: "tokens", sessionId: state.sessionId, total: state.confirmedTokens + state.inflightTokens, at });
        break;
      case "stream_end": {
        // The node's own count for the request wins over our sum of chunks when it gives one.
        const used = event.tokensUsed ?? state.inflightTokens;
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
    // Tokens streamed in a request the socket cut short were still generated: they count.
    state.confirmedTokens += state.inflightTokens;
    state.inflightTokens = 0;
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
