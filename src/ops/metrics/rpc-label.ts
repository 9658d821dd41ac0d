/**
 * RPC URLs often carry an API key in the path or query (…/v2/<key>, ?apikey=…). Metric labels are scraped and stored
 * elsewhere, so they hold only the scheme and host, plus a short fingerprint that tells two URLs on one host apart.
 */
import { createHash } from "node:crypto";

export function rpcLabel(url: string): string {
  try {
    const parsed = new URL(url);
    const rest = `${parsed.pathname}${parsed.search}`;
    const origin = `${parsed.protocol}//${parsed.host}`;
    if (rest === "/" || rest === "") return origin;
    return `${origin}/…#${createHash("sha256").update(url).digest("hex").slice(0, 6)}`;
  } catch {
    return `invalid#${createHash("sha256").update(url).digest("hex").slice(0, 6)}`;
  }
}
