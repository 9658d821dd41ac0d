/**
 * Raw JSON-RPC calls straight through the pool: the calls made in one turn of the event loop go out as one batch (split
 * at `maxBatch`). The network check (chain id, contract code) and `status`'s reads use it, so a command's first request
 * needs neither ethers' provider loaded nor its batch stall (ethers waits `batchStallTime` before it sends anything).
 */
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostError } from "../../errors/host-error.ts";
import type { RpcPool } from "./pool.ts";
import type { RpcPayload, RpcResponse } from "./types.ts";
import type { RpcSender } from "../verify-network.ts";

interface Waiting {
  payload: RpcPayload;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/** A call the RPC answered with an error of its own (a revert, say): the request itself went through. */
export class RpcCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number | undefined,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "RpcCallError";
  }

  /** The call reverted (EIP-1474 code 3, or a node that says "execution reverted" under a generic code). */
  get reverted(): boolean {
    return this.code === 3 || /execution reverted/i.test(this.message);
  }
}

export interface BatchingOptions {
  /** Most calls in one request (public endpoints refuse large batches); unlimited when absent. */
  maxBatch?: number;
  /**
   * How a call the RPC answered with an error rejects: by default as the RPC being unavailable (the network check
   * wants no error at all); readers that expect reverts (a read past the end of an array) pass `callErrors: "per-call"`
   * and get an RpcCallError.
   */
  callErrors?: "unavailable" | "per-call";
}

export function batchingSender(pool: Pick<RpcPool, "send">, options: BatchingOptions = {}): RpcSender {
  let queue: Waiting[] = [];
  let nextId = 1;

  const failure = (payload: RpcPayload, answer: RpcResponse | undefined): Error => {
    const error = answer && "error" in answer ? answer.error : undefined;
    if (options.callErrors === "per-call" && error) return new RpcCallError(payload.method, error.code, error.message ?? "error", error.data);
    const why = error ? `${error.message ?? "error"} (code ${error.code})` : "no answer for this call";
    return new HostError(ChainErrors.RPC_UNAVAILABLE, `The RPC answered ${payload.method} with an error: ${why}.`);
  };

  const flush = () => {
    const size = options.maxBatch ?? queue.length;
    while (queue.length > size) post(queue.splice(0, size));
    post(queue);
    queue = [];
  };

  const post = (batch: Waiting[]) => {
    pool.send(batch.map((waiting) => waiting.payload)).then(
      (answers) => {
        const byId = new Map(answers.map((answer) => [answer.id, answer]));
        for (const { payload, resolve, reject } of batch) {
          const answer = byId.get(payload.id);
          if (answer && "result" in answer) resolve(answer.result);
          else reject(failure(payload, answer));
        }
      },
      (error: unknown) => {
        for (const waiting of batch) waiting.reject(error);
      },
    );
  };

  return {
    send(method, params) {
      return new Promise((resolve, reject) => {
        if (queue.length === 0) queueMicrotask(flush);
        queue.push({ payload: { jsonrpc: "2.0", id: nextId++, method, params }, resolve, reject });
      });
    },
  };
}
