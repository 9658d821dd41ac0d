/**
 * Raw JSON-RPC calls straight through the pool: the calls made in one turn of the event loop go out as one batch.
 * The network check (chain id, contract code) uses it, so a command's first request needs neither ethers loaded nor
 * the provider's batch stall (ethers waits `batchStallTime` before it sends anything).
 */
import { ChainErrors } from "../../errors/codes/chain.ts";
import { HostError } from "../../errors/host-error.ts";
import type { RpcPool } from "./pool.ts";
import type { RpcPayload } from "./types.ts";
import type { RpcSender } from "../verify-network.ts";

interface Waiting {
  payload: RpcPayload;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

export function batchingSender(pool: Pick<RpcPool, "send">): RpcSender {
  let queue: Waiting[] = [];
  let nextId = 1;

  const flush = () => {
    const batch = queue;
    queue = [];
    pool.send(batch.map((waiting) => waiting.payload)).then(
      (answers) => {
        const byId = new Map(answers.map((answer) => [answer.id, answer]));
        for (const { payload, resolve, reject } of batch) {
          const answer = byId.get(payload.id);
          if (answer && "result" in answer) resolve(answer.result);
          else {
            const why = answer && "error" in answer ? `${answer.error.message ?? "error"} (code ${answer.error.code})` : "no answer for this call";
            reject(new HostError(ChainErrors.RPC_UNAVAILABLE, `The RPC answered ${payload.method} with an error: ${why}.`));
          }
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
