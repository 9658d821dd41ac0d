/**
 * What one WebSocket remembers, like the locals of the real node's `handle_websocket`
 * (fabstir-llm-node@85a87b8 src/api/server.rs:2068-2070): the last init's session, job and chain, and the answer
 * streaming now, if any.
 */
import type { StreamHandle } from "./stream.ts";

export interface Connection {
  id: number;
  open: boolean;
  sessionId: string | undefined;
  jobId: string | undefined;
  chainId: number | undefined;
  stream: StreamHandle | undefined;
}

let nextConnectionId = 1;

export function newConnection(): Connection {
  return { id: nextConnectionId++, open: true, sessionId: undefined, jobId: undefined, chainId: undefined, stream: undefined };
}
