/**
 * The public port's HTTP side: an odd request answered by the front itself (public-responses.ts), a WebSocket upgrade
 * handed to the front, and every other request passed to the node, or with several nodes to the node of its job's model
 * (router.ts). Kept apart from front.ts, which holds the sockets.
 */
import type { Server } from "bun";
import { addressKey } from "./admission.ts";
import { PASSED_METHODS, originTarget, publicAnswer, type QuietLog } from "./public-responses.ts";
import { proxyHttp } from "./http-proxy.ts";
import type { FrontOptions, FrontStats, SocketData } from "./front-types.ts";

export interface FrontHttpDeps {
  options: FrontOptions;
  /** The node's loopback address, without a trailing slash. */
  upstreamHttp: string;
  stats: FrontStats;
  quiet: QuietLog;
  /** Admits the socket and upgrades it (undefined), or answers why not. */
  upgrade(request: Request, srv: Server<SocketData>, address: string, path: string): Response | undefined;
}

export async function answerRequest(deps: FrontHttpDeps, request: Request, srv: Server<SocketData>): Promise<Response | undefined> {
  const { options, upstreamHttp, stats, quiet } = deps;
  try {
    const ip = srv.requestIP(request)?.address;
    const address = addressKey(ip);
    const target = originTarget(request);
    if (!PASSED_METHODS.has(request.method) || target === undefined) {
      stats.badRequests++;
      quiet.note("bad_request", "odd request refused on the public port", { address, method: request.method.slice(0, 16) });
      return publicAnswer(PASSED_METHODS.has(request.method) ? "bad_target" : "method");
    }
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") return deps.upgrade(request, srv, address, target);
    if (!options.routeHttp) return await proxyHttp(upstreamHttp, request, target, ip ?? address, quiet);
    // Several nodes: a request that names a job goes to its model's node (router.ts).
    const routed = await options.routeHttp(request, new URL(target, "http://front").pathname);
    if ("refuse" in routed) return routed.refuse;
    const forwarded = routed.body ? new Request(request, { body: routed.body }) : request;
    return await proxyHttp(routed.upstream.replace(/\/$/, ""), forwarded, target, ip ?? address, quiet);
  } catch (error) {
    stats.badRequests++;
    quiet.note("internal", "public port request failed", { error: (error as Error).message.slice(0, 200) });
    return publicAnswer("internal");
  }
}
