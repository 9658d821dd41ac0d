/**
 * Bare JSON-RPC over fetch: the devnet's few raw calls (anvil's evm_* methods, raw
 * transactions, receipts) without an ethers provider's polling and network probing.
 */

export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(`${method}: ${message}`);
    this.name = "RpcError";
  }
}

let nextId = 1;

export async function rpc<T = unknown>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { code: number; message: string; data?: unknown } };
  if (body.error) throw new RpcError(method, body.error.code, body.error.message, body.error.data);
  return body.result as T;
}

/** Several calls in one HTTP request; results come back in the order asked. */
export async function rpcBatch<T = unknown>(rpcUrl: string, calls: ReadonlyArray<{ method: string; params?: unknown[] }>): Promise<T[]> {
  if (calls.length === 0) return [];
  const first = nextId;
  nextId += calls.length;
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, method: c.method, params: c.params ?? [] }))),
  });
  const bodies = (await response.json()) as Array<{ id: number; result?: T; error?: { code: number; message: string } }>;
  return calls.map((call, i) => {
    const body = bodies.find((b) => b.id === first + i);
    if (!body) throw new RpcError(call.method, -1, "no answer in batch");
    if (body.error) throw new RpcError(call.method, body.error.code, body.error.message);
    return body.result as T;
  });
}

export interface RawReceipt {
  transactionHash: string;
  status: string;
  contractAddress: string | null;
  blockNumber: string;
}

/** Waits for receipts of already-sent transactions (anvil mines them within milliseconds). */
export async function waitForReceipts(rpcUrl: string, hashes: string[], timeoutMs = 15_000): Promise<RawReceipt[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipts = await rpcBatch<RawReceipt | null>(
      rpcUrl,
      hashes.map((hash) => ({ method: "eth_getTransactionReceipt", params: [hash] })),
    );
    if (receipts.every((r) => r !== null)) return receipts as RawReceipt[];
    if (Date.now() > deadline) throw new Error(`transactions not mined within ${timeoutMs} ms`);
    await Bun.sleep(10);
  }
}
