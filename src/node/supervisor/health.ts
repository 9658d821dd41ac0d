/**
 * The node's `/health` endpoint. It answers (degraded) before the model is loaded, so it is never readiness on its
 * own; after readiness, "no answer" and "unhealthy" are what count as a failed check (degraded means the node serves
 * but something around it, e.g. proof storage, is off).
 */
import type { FetchFn } from "../../context.ts";

export type HealthStatus = "healthy" | "degraded" | "unhealthy" | "unreachable" | "invalid";

export interface HealthResult {
  status: HealthStatus;
  issues: string[];
  /** Why the check failed to get an answer (timeout, refused …). */
  error?: string;
}

export async function probeHealth(fetchFn: FetchFn, baseUrl: string, timeoutMs: number): Promise<HealthResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    const response = await fetchFn(`${baseUrl}/health`, { signal: controller.signal });
    const text = await response.text();
    let body: { status?: unknown; issues?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return { status: "invalid", issues: [], error: `HTTP ${response.status}, not JSON` };
    }
    const issues = Array.isArray(body.issues) ? body.issues.map(String) : [];
    const status = body.status;
    if (status === "healthy" || status === "degraded" || status === "unhealthy") return { status, issues };
    return { status: "invalid", issues, error: `HTTP ${response.status}, unknown status ${JSON.stringify(status)}` };
  } catch (error) {
    const reason = controller.signal.aborted ? String((controller.signal.reason as Error)?.message ?? "timeout") : (error as Error).message;
    return { status: "unreachable", issues: [], error: reason };
  } finally {
    clearTimeout(timer);
  }
}

/** After readiness: does this answer count against the node? */
export function isFailedCheck(result: HealthResult): boolean {
  return result.status === "unreachable" || result.status === "unhealthy" || result.status === "invalid";
}
