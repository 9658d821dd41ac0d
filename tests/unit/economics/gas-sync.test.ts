/**
 * syncGasLedger against a scripted RPC: a journaled proof also seen as an event is counted once with the journal's
 * kind; a settlement sent by a client is left out (and not looked up again); an OP-stack receipt's l1Fee is added;
 * a receipt not yet available is looked up again next time.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IntentJournal } from "../../../src/chain/tx/journal.ts";
import type { IntentRecord } from "../../../src/chain/tx/types.ts";
import { syncGasLedger } from "../../../src/economics/gas-ledger.ts";
import type { LedgerFile } from "../../../src/host/ledger/types.ts";

const HOST = "0x00000000000000000000000000000000000000aa";
const CLIENT = "0x00000000000000000000000000000000000000bb";
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function record(key: string, hash: string): IntentRecord {
  return {
    version: 1,
    key,
    chainId: 8453,
    from: HOST,
    to: "0x01",
    data: "0x",
    value: "0",
    description: key,
    gasLimit: null,
    state: "confirmed",
    createdAt: 1,
    updatedAt: 2,
    attempts: [],
    receipt: { hash, nonce: 0, blockNumber: 3, blockHash: "0xb", status: 1, gasUsed: "100", effectiveGasPrice: "2" },
    error: null,
    history: [],
  };
}

const receipt = (hash: string, from: string, extra: Record<string, string> = {}) => ({
  transactionHash: hash,
  from,
  blockNumber: "0x3",
  status: "0x1",
  gasUsed: "0x64",
  effectiveGasPrice: "0x2",
  ...extra,
});

describe("syncGasLedger", () => {
  test("journal and events merged, foreign left out, l1Fee added, missing receipts retried", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "gas-sync-"));
    dirs.push(stateDir);
    new IntentJournal(join(stateDir, "tx-journal"), 8453, HOST).write(record("proof:7:1000", "0xaa01"));
    const receipts: Record<string, unknown> = {
      "0xaa01": receipt("0xaa01", HOST, { l1Fee: "0x5" }),
      "0xaa02": receipt("0xaa02", CLIENT),
    };
    const asked: string[] = [];
    const rpc = {
      async send(method: string, params: unknown[]) {
        if (method === "eth_getLogs") return [];
        if (method === "eth_getTransactionReceipt") {
          asked.push(params[0] as string);
          return receipts[params[0] as string] ?? null;
        }
        if (method === "eth_getBlockByNumber") return { timestamp: "0x64" };
        throw new Error(method);
      },
    };
    const ledger = {
      startBlock: 0,
      scannedTo: 10,
      sessions: {},
      events: [
        { kind: "proof", jobId: "7", tokens: "1000", block: 3, logIndex: 0, tx: "0xAA01" },
        { kind: "settled", jobId: "7", outcome: "timed_out", tokensUsed: "1000", hostEarnings: "1", refund: "0", block: 3, logIndex: 1, tx: "0xaa02", time: 1 },
        { kind: "withdrawn", token: "0x0", amount: "1", block: 4, logIndex: 0, tx: "0xaa03", time: 1 },
      ],
    } as unknown as LedgerFile;
    const deps = { rpc, chainId: 8453, contracts: { nodeRegistry: "0x01", fabToken: "0x02" }, host: HOST, stateDir, ledger };

    const first = await syncGasLedger(deps);
    expect(Object.keys(first.entries)).toEqual(["0xaa01"]);
    expect(first.entries["0xaa01"]).toMatchObject({ kind: "proof", jobId: "7", source: "journal", l1Fee: "5", feeWei: "205", time: 100 });
    expect(first.foreign).toEqual(["0xaa02"]);

    receipts["0xaa03"] = receipt("0xaa03", HOST);
    asked.length = 0;
    const second = await syncGasLedger(deps);
    expect(asked).toEqual(["0xaa03"]); // known and foreign ones are not asked again
    expect(second.entries["0xaa03"]).toMatchObject({ kind: "withdraw", source: "event", feeWei: "200" });
  });
});
