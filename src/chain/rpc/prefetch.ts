/**
 * A round trip started before the code that needs it has loaded. A command that checks the network first (chain id,
 * contract code) has its check posted while the command itself, ethers and the contracts load: the HTTP request
 * overlaps the start-up instead of following it. The pool's endpoint takes the prefetched answer when it posts the
 * very same body to the very same URL, so retries, failover, the breaker and the counters work as they always do.
 * A prefetch nobody took is aborted when the command ends (dropPrefetches), so it never holds the process open.
 */
import type { FetchFn } from "../../context.ts";

interface Prefetch {
  response: Promise<Response>;
  controller: AbortController;
  timer: ReturnType<typeof setTimeout>;
}

const waiting = new Map<string, Prefetch>();
const keyOf = (url: string, body: string) => `${url}\n${body}`;

/** Starts one POST now; its answer waits (up to `timeoutMs`) for the endpoint that posts the same body. */
export function prefetch(fetchFn: FetchFn, url: string, body: string, timeoutMs: number): void {
  const key = keyOf(url, body);
  if (waiting.has(key)) return;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  (timer as { unref?: () => void }).unref?.();
  const response = fetchFn(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body,
    signal: controller.signal,
  });
  // Nobody may ever take it: its failure is then nobody's concern.
  response.catch(() => {});
  waiting.set(key, { response, controller, timer });
}

/**
 * The prefetched answer to this exact request, once; undefined when there is none. From then on the endpoint's own
 * deadline (`signal`) governs the request.
 */
export function takePrefetched(url: string, body: string, signal: AbortSignal): Promise<Response> | undefined {
  // The common case (a running host, any request after the first): nothing waits, and no key is built.
  if (waiting.size === 0) return undefined;
  const key = keyOf(url, body);
  const found = waiting.get(key);
  if (!found) return undefined;
  waiting.delete(key);
  // From here the endpoint's own deadline governs.
  clearTimeout(found.timer);
  signal.addEventListener("abort", () => found.controller.abort(), { once: true });
  return found.response;
}

/** Aborts every prefetch no endpoint took (the command ended without needing it). */
export function dropPrefetches(): void {
  for (const { controller, timer } of waiting.values()) {
    clearTimeout(timer);
    controller.abort();
  }
  waiting.clear();
}
