/**
 * Which failures are worth another try. Retrying a revert or a malformed request only repeats the same answer (and
 * hides it behind a delay); retrying a refused connection, a timeout, a rate limit or a lagging node usually works,
 * often on the next endpoint.
 */
export interface JsonRpcErrorBody {
  code: number;
  message?: string;
  data?: unknown;
}

/** Messages of node-side conditions that pass: load-balanced nodes behind, rate limits, restarts. */
const TRANSIENT_MESSAGE =
  /header not found|missing trie node|unknown block|request timed out|timeout|timed out|rate limit|too many requests|exceeded .*capacity|capacity exceeded|try again|temporarily unavailable|service unavailable|server busy|no backend|upstream|overloaded|connection reset/i;

/** Messages that are answers about the transaction or call itself: never transient, whatever the code. */
const FINAL_MESSAGE =
  /revert|insufficient funds|nonce|underpriced|already known|known transaction|intrinsic gas|gas required exceeds|exceeds block gas limit|invalid/i;

export function isTransientRpcError(error: JsonRpcErrorBody): boolean {
  const message = error.message ?? "";
  if (FINAL_MESSAGE.test(message)) return false;
  switch (error.code) {
    case 3: // execution reverted, with data
    case -32600: // invalid request
    case -32601: // method not found
    case -32602: // invalid params
    case -32700: // parse error
      return false;
    case -32005: // limit exceeded / rate limited
      return true;
    case -32603: // internal error: a generic node hiccup unless it carries revert data
      return !(typeof error.data === "string" && error.data.startsWith("0x") && error.data.length > 2);
    default:
      return TRANSIENT_MESSAGE.test(message);
  }
}

/** HTTP statuses after which the same request may succeed later or elsewhere. */
export function isTransientHttpStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599);
}
