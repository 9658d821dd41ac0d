/**
 * Real readiness: both milestone lines ("✅ Model loaded successfully (ID: …)", "🎉 Fabstir LLM Node is running with
 * REAL inference!"; fabstir-llm-node@85a87b8 src/main.rs:270, 615-620) AND `/health` answering. A real node never
 * says "healthy" (it reports "degraded" with "No P2P node available" for its whole life, src/api/server.rs:1505-1534),
 * so the answer, not its status, is the condition; what it said is kept for status and doctor. The lines alone don't
 * prove the HTTP server answers. Failure messages carry the node's last output lines.
 */
import type { FetchFn } from "../../context.ts";
import { HostError } from "../../errors/host-error.ts";
import { SupervisorErrors } from "../../errors/codes/supervisor.ts";
import { isAnswered, probeHealth, type HealthResult } from "./health.ts";
import type { NodeProcess } from "./node-process.ts";
import { withTimeout } from "./timeout.ts";
import { formatTail, type OutputTail } from "./output-tail.ts";

export interface ReadinessOptions {
  fetch: FetchFn;
  /** Configured port; 0 = take it from the node's "API server started" line. */
  port: number;
  timeoutMs: number;
  pollMs: number;
  healthTimeoutMs: number;
  tail: OutputTail;
  tailLines: number;
  logFile: string;
  signal: AbortSignal;
}

export class StartCancelled extends Error {
  constructor() {
    super("start cancelled by stop");
  }
}

function describeExit(exit: { code: number | null; signal: string | null }): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** Resolves with the port once the node is ready; throws a HostError (the node is left to the caller to stop). */
export async function waitForReady(node: NodeProcess, options: ReadinessOptions): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  let lastHealth: HealthResult | undefined;
  const aborted = new Promise((resolve) => options.signal.addEventListener("abort", resolve, { once: true }));
  while (true) {
    if (options.signal.aborted) throw new StartCancelled();
    if (!node.alive) {
      const exit = await node.exited;
      const lines = options.tail.last(options.tailLines);
      throw new HostError(SupervisorErrors.NODE_START_FAILED, `The node ${describeExit(exit)} before it was ready. Its last lines:\n${formatTail(lines)}`, {
        details: { exitCode: exit.code, signal: exit.signal, lastLines: lines, log: options.logFile },
      });
    }
    const port = options.port || node.announcedPort;
    if (port !== undefined) {
      lastHealth = await probeHealth(options.fetch, `http://127.0.0.1:${port}`, options.healthTimeoutMs);
      if (node.modelLoaded && node.running && isAnswered(lastHealth)) return port;
    }
    if (Date.now() >= deadline) {
      const lines = options.tail.last(options.tailLines);
      const waitingFor = !node.modelLoaded
        ? "the model to load"
        : !node.running
          ? 'the node\'s "running" line'
          : `/health to answer (last try: ${lastHealth ? lastHealth.status + (lastHealth.error ? `, ${lastHealth.error}` : "") : "none"})`;
      throw new HostError(
        SupervisorErrors.NODE_START_TIMEOUT,
        `The node was not ready after ${Math.round(options.timeoutMs / 1000)} s (still waiting for ${waitingFor}). Its last lines:\n${formatTail(lines)}`,
        { details: { lastLines: lines, health: lastHealth, log: options.logFile } },
      );
    }
    await withTimeout(Promise.race([node.exited, aborted]), options.pollMs);
  }
}
