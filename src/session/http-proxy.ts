/**
 * Plain HTTP through the public port: the request goes to the node on loopback with hop-by-hop headers removed and
 * the client's address in x-forwarded-for, the node's answer comes back streamed. A node that cannot be reached gets
 * the front's own short answer, never the fetch error.
 */
import { publicAnswer, type QuietLog } from "./public-responses.ts";

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host"];
const RESPONSE_DROPPED = ["connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length"];

export async function proxyHttp(upstreamHttp: string, request: Request, target: string, clientIp: string, quiet: QuietLog): Promise<Response> {
  const headers = new Headers(request.headers);
  for (const name of HOP_BY_HOP) headers.delete(name);
  headers.set("x-forwarded-for", clientIp);
  try {
    const upstream = await fetch(`${upstreamHttp}${target}`, {
      method: request.method,
      headers,
      body: request.method === "GET" || request.method === "HEAD" ? undefined : request.body,
      redirect: "manual",
    });
    const responseHeaders = new Headers(upstream.headers);
    for (const name of RESPONSE_DROPPED) responseHeaders.delete(name);
    return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: responseHeaders });
  } catch (error) {
    quiet.note("node_unavailable", "node unreachable for HTTP", { path: target.slice(0, 100), error: (error as Error).message });
    return publicAnswer("node_unavailable");
  }
}
