/**
 * A URL is published on chain only after two checks: it is an absolute http(s) URL, and something answers at it (any
 * HTTP answer to GET <url>/health counts: the node may still be loading its model, but the address and port work).
 */
import type { FetchFn } from "../../context.ts";
import { HostError } from "../../errors/host-error.ts";
import { HostErrors } from "../../errors/codes/host.ts";

export const URL_CHECK_TIMEOUT_MS = 5_000;

/** The URL as it will be published (no trailing slash), or URL_INVALID. */
export function normalizePublicUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw invalid(text, "not an absolute URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid(text, `${url.protocol.replace(/:$/, "")} is not http or https`);
  if (!url.hostname) throw invalid(text, "it has no host name");
  if (url.username || url.password) throw invalid(text, "it carries credentials, which would be published on chain");
  if (url.search || url.hash) throw invalid(text, "a query or fragment has no place in an API URL");
  return text.trim().replace(/\/+$/, "");
}

export interface UrlAnswer {
  url: string;
  status: number;
}

/** GET <url>/health; any HTTP answer passes. URL_UNREACHABLE names the error and suggests --no-check. */
export async function checkUrlAnswers(fetchFn: FetchFn, url: string, timeoutMs = URL_CHECK_TIMEOUT_MS): Promise<UrlAnswer> {
  const probe = `${url}/health`;
  try {
    const response = await fetchFn(probe, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel().catch(() => undefined);
    return { url: probe, status: response.status };
  } catch (error) {
    const reason = (error as Error)?.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : ((error as Error)?.message ?? String(error));
    throw new HostError(HostErrors.URL_UNREACHABLE, `${probe} does not answer (${reason}). Nothing was sent.`, { cause: error, details: { url: probe } });
  }
}

function invalid(text: string, why: string): HostError {
  return new HostError(HostErrors.URL_INVALID, `"${text}" cannot be the host's API URL: ${why}. Nothing was sent.`, {
    hint: "Try: a full URL such as https://host.example.org:8080",
  });
}
