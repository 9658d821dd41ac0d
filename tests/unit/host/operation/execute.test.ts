import type { HostServices } from "../../../../src/context.ts";
import { describe, expect, test } from "bun:test";
import { intentKeyFor, sendPhases, txWaitMs, DEFAULT_TX_WAIT_MS } from "../../../../src/host/operation/execute.ts";
import type { TxSender } from "../../../../src/chain/index.ts";
import type { PlannedTx } from "../../../../src/host/operation/tx-plan.ts";

const TO = "0x00000000000000000000000000000000000000B2";

function tx(key: string, phase: number): PlannedTx {
  return { kind: "price", key, description: `send ${key}`, to: TO, data: "0x", phase, gasGuess: 1n };
}

/** Records the order of submits and lets the test settle them. */
function fakeSender(options: { states?: Record<string, string>; failKey?: string } = {}) {
  const events: string[] = [];
  const submitted: string[] = [];
  const sender = {
    record: (key: string) => (options.states?.[key] ? { state: options.states[key] } : undefined),
    async submit(intent: { key: string }) {
      submitted.push(intent.key);
      events.push(`start ${intent.key}`);
      await new Promise((resolve) => setTimeout(resolve, intent.key.includes("slow") ? 20 : 1));
      events.push(`end ${intent.key}`);
      if (intent.key === options.failKey) throw new Error(`refused ${intent.key}`);
      return {
        key: intent.key,
        description: "",
        hash: `0xhash-${intent.key}`,
        from: TO,
        to: TO,
        nonce: 0,
        blockNumber: 7,
        blockHash: "0x",
        gasUsed: 21_000n,
        effectiveGasPrice: 2n,
        reused: false,
      };
    },
  };
  return { sender: sender as unknown as TxSender, events, submitted };
}

describe("intent keys", () => {
  test("new, failed or in-flight intents keep their key; a confirmed one moves on to #2, #3 …", () => {
    expect(intentKeyFor(fakeSender().sender, "register:0xa:approve")).toBe("register:0xa:approve");
    expect(intentKeyFor(fakeSender({ states: { k: "failed" } }).sender, "k")).toBe("k");
    expect(intentKeyFor(fakeSender({ states: { k: "sent" } }).sender, "k")).toBe("k");
    expect(intentKeyFor(fakeSender({ states: { k: "confirmed" } }).sender, "k")).toBe("k#2");
    expect(intentKeyFor(fakeSender({ states: { k: "confirmed", "k#2": "confirmed", "k#3": "mined" } }).sender, "k")).toBe("k#3");
  });
});

describe("sending phases", () => {
  test("phases in order, a phase's transactions together; results in plan order with cost", async () => {
    const { sender, events } = fakeSender();
    const progress: string[] = [];
    const sent = await sendPhases(sender, [tx("approve", 0), tx("register", 1), tx("price-slow", 2), tx("price-b", 2)], {
      timeoutMs: 1000,
      progress: (t) => progress.push(t.key),
    });
    expect(sent.map((s) => s.key)).toEqual(["approve", "register", "price-slow", "price-b"]);
    expect(sent[0]).toMatchObject({ hash: "0xhash-approve", gasUsed: 21_000n, costWei: 42_000n, reused: false });
    expect(events.indexOf("end register")).toBeLessThan(events.indexOf("start price-slow"));
    expect(events.indexOf("start price-b")).toBeLessThan(events.indexOf("end price-slow"));
    expect(progress).toEqual(["approve", "register", "price-b", "price-slow"]);
  });

  test("a failure stops before the next phase, after its own phase settled", async () => {
    const { sender, submitted, events } = fakeSender({ failKey: "price-a" });
    await expect(sendPhases(sender, [tx("price-a", 0), tx("price-slow", 0), tx("later", 1)], { timeoutMs: 1000 })).rejects.toThrow("refused price-a");
    expect(submitted).toEqual(["price-a", "price-slow"]);
    expect(events).toContain("end price-slow");
  });

  test("the wait per transaction: 5 minutes, or the test override", () => {
    expect(txWaitMs({ services: { platform: "linux" } as HostServices })).toBe(DEFAULT_TX_WAIT_MS);
    expect(txWaitMs({ services: { platform: "linux", txWaitMs: 1500 } as HostServices })).toBe(1500);
  });
});
