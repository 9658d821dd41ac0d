/**
 * The local operations endpoint: /healthz (liveness), /readyz (readiness, with what is not ready) and /metrics
 * (Prometheus). Loopback by default; see metrics.listen.
 */
import type { HostMetrics } from "../metrics/host-metrics.ts";
import type { HealthState } from "./health-state.ts";
import { localUrl, parseListen } from "./listen-address.ts";
import { HostError } from "../../errors/host-error.ts";
import { OpsErrors } from "../../errors/codes/ops.ts";

export interface OpsServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface OpsServerOptions {
  listen: string;
  metrics: Pick<HostMetrics, "text" | "contentType">;
  health: HealthState;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body) + "\n", { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });

export async function handleOpsRequest(request: Request, options: OpsServerOptions): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") return json(405, { error: "method not allowed" });
  const path = new URL(request.url).pathname;
  if (path === "/healthz") {
    const live = options.health.liveness();
    return json(live.alive ? 200 : 503, { status: live.alive ? "ok" : "stalled", ...live });
  }
  if (path === "/readyz") {
    const ready = options.health.readiness();
    return json(ready.ready ? 200 : 503, {
      status: ready.ready ? "ready" : "not ready",
      notReady: ready.notReady.map((check) => ({ check: check.name, detail: check.detail })),
      checks: ready.checks,
    });
  }
  if (path === "/metrics") {
    return new Response(await options.metrics.text(), { headers: { "content-type": options.metrics.contentType, "cache-control": "no-store" } });
  }
  return json(404, { error: "not found", endpoints: ["/healthz", "/readyz", "/metrics"] });
}

export function startOpsServer(options: OpsServerOptions): OpsServer {
  const address = parseListen(options.listen);
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      hostname: address.hostname,
      port: address.port,
      // A request the handler cannot read gets a short answer of ours, never the runtime's error page (with the
      // source and paths) when metrics.listen is beyond loopback.
      fetch: (request) => handleOpsRequest(request, options).catch(() => json(400, { error: "bad request" })),
      error: () => json(500, { error: "internal error" }),
    });
  } catch (error) {
    throw new HostError(OpsErrors.METRICS_LISTEN_FAILED, `Cannot listen on ${options.listen} for metrics: ${(error as Error).message}`, { cause: error });
  }
  const port = server.port ?? address.port;
  return {
    url: localUrl({ hostname: address.hostname, port }),
    port,
    stop: async () => {
      await server.stop(true);
    },
  };
}
