/**
 * The node's `/health` endpoint. The real node's API server is never handed its P2P node, so a running node answers
 * `{"status":"degraded","issues":["No P2P node available"]}` for its whole life (fabstir-llm-node@85a87b8
 * src/api/server.rs:1505-1534): that one issue is normal, and `p2pOnly` says so. A second issue (the circuit breaker
 * is open) turns the answer "unhealthy". Before the model is loaded nothing listens at all (src/main.rs:251-357), so
 * `/health` answering is a readiness condition, never a "healthy" status.
 */
import type { FetchFn } from "../../context.ts";

export type HealthStatus = "healthy" | "degraded" | "unhealthy" | "unreachable" | "invalid";

/** The issue every real node reports (src/api/server.rs:1511). */
export const NO_P2P_ISSUE = "No P2P node available";

export interface HealthResult {
  status: HealthStatus;
  issues: string[];
  /** Degraded with only the "No P2P node available" issue: what every healthy real node says. */
  p2pOnly: boolean;
  /** Why the check failed to get an answer (timeout, refused …) or what was wrong with it. */
  error?: string;
}

/** Reads one /health answer (HTTP status and body text) as the node writes it. */
export function parseHealth(httpStatus: number, text: string): HealthResult {
  let body: { status?: unknown; issues?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return { status: "invalid", issues: [], p2pOnly: false, error: `HTTP ${httpStatus}, not JSON` };
  }
  if (body === null || typeof body !== "object") return { status: "invalid", issues: [], p2pOnly: false, error: `HTTP ${httpStatus}, not a JSON object` };
  // `issues` is left out when there are none (HealthResponse, src/api/handlers.rs:101-105).
  const issues = Array.isArray(body.issues) ? body.issues.map(String) : [];
  const status = body.status;
  if (status === "healthy" || status === "degraded" || status === "unhealthy") {
    return { status, issues, p2pOnly: status === "degraded" && issues.length === 1 && issues[0] === NO_P2P_ISSUE };
  }
  return { status: "invalid", issues, p2pOnly: false, error: `HTTP ${httpStatus}, unknown status ${JSON.stringify(status)}` };
}

export async function probeHealth(fetchFn: FetchFn, baseUrl: string, timeoutMs: number): Promise<HealthResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    const response = await fetchFn(`${baseUrl}/health`, { signal: controller.signal });
    return parseHealth(response.status, await response.text());
  } catch (error) {
    const reason = controller.signal.aborted ? String((controller.signal.reason as Error)?.message ?? "timeout") : (error as Error).message;
    return { status: "unreachable", issues: [], p2pOnly: false, error: reason };
  } finally {
    clearTimeout(timer);
  }
}

/** The node answered /health at all (any known status): with the start-up lines, that is readiness. */
export function isAnswered(result: HealthResult): boolean {
  return result.status === "healthy" || result.status === "degraded" || result.status === "unhealthy";
}

/** Nothing to report: healthy, or degraded only for the P2P node every real node lacks. */
export function isNormal(result: HealthResult): boolean {
  return result.status === "healthy" || result.p2pOnly;
}

/** After readiness: does this answer count against the node? */
export function isFailedCheck(result: HealthResult): boolean {
  return result.status === "unreachable" || result.status === "unhealthy" || result.status === "invalid";
}
