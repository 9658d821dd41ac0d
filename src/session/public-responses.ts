/**
 * The public port's own answers. Whatever a stranger sends (a CONNECT, an absolute or asterisk target, a method the
 * node never serves, a request that makes Bun throw), the answer is one of these: a status, a short fixed JSON body,
 * no stack, no source, no path, nothing from the request echoed back. Bun's development error page (the binary's
 * source around the throw, the exception, file paths) is never served: the front sets `development: false` and an
 * `error` handler that answers with `internalError()`.
 */

/** Methods the node's HTTP API answers; anything else (CONNECT, TRACE, PUT, …) is refused at the front. */
export const PASSED_METHODS = new Set(["GET", "HEAD", "POST", "OPTIONS"]);

export type PublicRefusal = "bad_target" | "method" | "address_full" | "host_full" | "internal" | "node_unavailable" | "upgrade_failed";

const ANSWERS: Record<PublicRefusal, { status: number; error: string; retry?: boolean; headers?: Record<string, string> }> = {
  bad_target: { status: 400, error: "bad request target" },
  method: { status: 405, error: "method not allowed", headers: { allow: [...PASSED_METHODS].join(", ") } },
  address_full: { status: 429, error: "too many connections from your address", retry: true, headers: { "retry-after": "5" } },
  host_full: { status: 503, error: "host busy", retry: true, headers: { "retry-after": "5" } },
  internal: { status: 500, error: "internal error" },
  node_unavailable: { status: 502, error: "node unavailable", retry: true },
  upgrade_failed: { status: 400, error: "WebSocket upgrade failed" },
};

export function publicAnswer(kind: PublicRefusal): Response {
  const answer = ANSWERS[kind];
  const body = JSON.stringify(answer.retry ? { error: answer.error, retry: true } : { error: answer.error });
  return new Response(body, { status: answer.status, headers: { "content-type": "application/json", "cache-control": "no-store", ...answer.headers } });
}

/**
 * The request's path and query, or undefined for any target that is not origin-form (RFC 9112 §3.2.1). Bun turns
 * the request line into `request.url`; for a CONNECT or other odd forms that is not a URL `new URL` accepts.
 */
export function originTarget(request: Request): string | undefined {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (!url.pathname.startsWith("/") || url.pathname.startsWith("//")) return undefined;
  return url.pathname + url.search;
}

/**
 * Log lines about strangers, at most one per kind per interval with a count of the rest: a flood of bad requests
 * must not become a flood of log lines.
 */
export class QuietLog {
  private readonly last = new Map<string, { at: number; skipped: number }>();

  constructor(
    private readonly log: (message: string, meta?: Record<string, unknown>) => void,
    private readonly now: () => number,
    private readonly intervalMs = 10_000,
  ) {}

  note(kind: string, message: string, meta: Record<string, unknown> = {}): void {
    const now = this.now();
    const seen = this.last.get(kind);
    if (seen && now - seen.at < this.intervalMs) {
      seen.skipped++;
      return;
    }
    this.log(message, seen && seen.skipped > 0 ? { ...meta, alsoSince: seen.skipped } : meta);
    this.last.set(kind, { at: now, skipped: 0 });
  }
}
