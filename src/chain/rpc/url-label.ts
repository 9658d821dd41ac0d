/**
 * RPC URLs often carry an API key in the path or the query (…/v2/<key>, ?apikey=…). Logs, errors and metrics show a
 * label with those parts masked, never the URL itself.
 */
export function rpcUrlLabel(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "<malformed RPC URL>";
  }
  // A path segment that looks like a token (long, or mixing digits and letters) is masked.
  const path = parsed.pathname
    .split("/")
    .map((segment) => (segment.length >= 16 || (/\d/.test(segment) && /[a-z]/i.test(segment) && segment.length >= 8) ? "***" : segment))
    .join("/");
  const query = parsed.search ? "?***" : "";
  const auth = parsed.username || parsed.password ? "***@" : "";
  return `${parsed.protocol}//${auth}${parsed.host}${path === "/" ? "" : path}${query}`;
}
