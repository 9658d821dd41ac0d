/**
 * Low-level helpers for the stand-in's own transactions: abortable sleeps,
 * short error texts, and sending with a fresh nonce when another process
 * signing with the same host key got there first.
 */
import type { ContractTransactionResponse, Provider } from "ethers";

export class Aborted extends Error {
  constructor() {
    super("aborted");
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Aborted());
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Aborted());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** One line out of an ethers error (its full message embeds whole JSON-RPC payloads). */
export function shortError(error: unknown): string {
  if (error && typeof error === "object") {
    const withShort = error as { shortMessage?: unknown; reason?: unknown; message?: unknown };
    const reason = typeof withShort.reason === "string" ? ` (${withShort.reason})` : "";
    if (typeof withShort.shortMessage === "string") return `${withShort.shortMessage}${reason}`;
    if (typeof withShort.message === "string") return withShort.message.split("\n")[0] ?? "error";
  }
  return String(error);
}

/** A revert (the contract said no), as opposed to a transport or nonce problem. */
export function isRevert(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "CALL_EXCEPTION";
}

export function isNonceConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "NONCE_EXPIRED" || code === "REPLACEMENT_UNDERPRICED") return true;
  const text = String((error as { message?: unknown } | null)?.message ?? error).toLowerCase();
  return text.includes("nonce too low") || text.includes("already known") || text.includes("nonce has already been used");
}

/** Serializes sends from this process so its own transactions never race for a nonce. */
export class SendLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const NONCE_ATTEMPTS = 8;

/**
 * Sends one transaction with the pending nonce read just before sending; when
 * the node races another signer of the same key ("nonce too low"), it re-reads
 * the pending nonce and tries again.
 */
export async function sendWithFreshNonce(
  provider: Provider,
  from: string,
  send: (nonce: number) => Promise<ContractTransactionResponse>,
  signal: AbortSignal,
  onConflict: (nonce: number) => void = () => {},
): Promise<ContractTransactionResponse> {
  for (let attempt = 1; ; attempt++) {
    const nonce = await provider.getTransactionCount(from, "pending");
    try {
      return await send(nonce);
    } catch (error) {
      if (!isNonceConflict(error) || attempt >= NONCE_ATTEMPTS) throw error;
      onConflict(nonce);
      await sleep(100 * attempt, signal);
    }
  }
}
