import { describe, expect, test } from "bun:test";
import { realAfter, realEvery } from "../../../../src/util/clock.ts";
import { statusWarnings, type WarningFacts } from "../../../../src/host/status/warnings.ts";
import { watchInterval, watchLoop } from "../../../../src/host/status/watch.ts";
import { duration, renderStatus } from "../../../../src/cli/render/status.ts";
import { amountOf } from "../../../../src/host/ledger/amounts.ts";
import { styleFor } from "../../../../src/cli/style.ts";
import type { RegistrationStatus, StatusReport } from "../../../../src/host/status/types.ts";
import type { HostError } from "../../../../src/errors/host-error.ts";
import { HostLedgerErrors } from "../../../../src/errors/codes/index.ts";

const price = { contract: "5000", value: "5", unit: "USD per million tokens" };
const registration = (over: Partial<RegistrationStatus> = {}): RegistrationStatus => ({
  registered: true,
  active: true,
  stake: amountOf("fab", 10n ** 21n),
  minStake: amountOf("fab", 10n ** 21n),
  apiUrl: "https://host.example.org",
  models: [
    {
      id: "0xabc",
      name: "org/repo:model.gguf",
      prices: { eth: { contract: "3000000", value: "0.000000000003", unit: "ETH per thousand tokens" }, usdc: price },
    },
  ],
  ...over,
});
const facts = (over: Partial<WarningFacts> = {}): WarningFacts => ({
  networkLabel: "Base Sepolia",
  registration: registration(),
  ethBalance: 10n ** 18n,
  proofCostWei: 10n ** 12n,
  minEthProofs: 50,
  slashes: [],
  node: { status: "running", mode: "daemon", state: "running", pid: 1, nodePid: 2, startedAt: null, uptimeSeconds: 60, reason: null },
  ...over,
});
const kinds = (f: WarningFacts) => statusWarnings(f).map((w) => w.kind);

describe("status warnings", () => {
  test("a healthy, running, priced host has none", () => {
    expect(statusWarnings(facts())).toEqual([]);
  });

  test("low gas: below the cost of alerts.minEthProofs proofs at current fees", () => {
    const low = statusWarnings(facts({ ethBalance: 49n * 10n ** 12n }));
    expect(low.map((w) => w.kind)).toEqual(["low-gas"]);
    expect(low[0]!.message).toContain("about 49 more proofs");
    expect(kinds(facts({ ethBalance: 50n * 10n ** 12n }))).toEqual([]);
  });

  test("a served model without a price for a token is named, with the token", () => {
    const reg = registration({ models: [{ id: "0xabc", name: "org/repo:model.gguf", prices: { eth: null, usdc: price } }] });
    const [warning] = statusWarnings(facts({ registration: reg }));
    expect(warning).toMatchObject({ kind: "unpriced-model", severity: "warning" });
    expect(warning!.message).toContain("org/repo:model.gguf has no ETH price");
  });

  test("not registered, inactive, stake below the minimum, slashed, stopped or stale host process", () => {
    expect(kinds(facts({ registration: registration({ registered: false, active: false }) }))).toEqual(["not-registered"]);
    expect(kinds(facts({ registration: registration({ active: false, stake: amountOf("fab", 5n * 10n ** 20n) }) }))).toEqual([
      "inactive",
      "stake-below-minimum",
    ]);
    const slash = {
      kind: "slashed" as const,
      block: 9,
      tx: "0x1",
      amount: amountOf("fab", 4n * 10n ** 20n),
      remaining: amountOf("fab", 6n * 10n ** 20n),
      reason: "fraud",
    };
    expect(statusWarnings(facts({ slashes: [slash] }))[0]!.message).toBe("Stake slashed by 400 FAB at block 9 (fraud); 600 FAB left staked.");
    expect(kinds(facts({ node: { ...facts().node, status: "not-running" } }))).toEqual(["host-stopped"]);
    expect(kinds(facts({ node: { ...facts().node, status: "stale", reason: "process 7 is not running" } }))).toEqual(["host-stale"]);
    expect(kinds(facts({ registration: registration({ registered: false, active: false }), node: { ...facts().node, status: "not-running" } }))).toEqual([
      "not-registered",
    ]);
  });
});

describe("status --watch", () => {
  test("the interval: --watch alone is 5 s; --watch=N and --watch N; out-of-range values refused", () => {
    expect(watchInterval(undefined, undefined)).toBeNull();
    expect(watchInterval(true, undefined)).toBe(5);
    expect(watchInterval("30", undefined)).toBe(30);
    expect(watchInterval(true, "10")).toBe(10);
    for (const [flag, positional] of [
      ["0", undefined],
      ["abc", undefined],
      [true, "4000"],
      [undefined, "7"],
    ] as const) {
      let code: string | undefined;
      try {
        watchInterval(flag, positional);
      } catch (error) {
        code = (error as HostError).code;
      }
      expect(code).toBe(HostLedgerErrors.WATCH_INTERVAL_INVALID.code);
    }
  });

  test("the loop takes a snapshot, waits what is left of the interval, and stops when aborted", async () => {
    const controller = new AbortController();
    const waits: number[] = [];
    let now = 0;
    let ticks = 0;
    await watchLoop({
      intervalSeconds: 5,
      signal: controller.signal,
      clock: { now: () => now, sleep: async (ms) => void waits.push(ms), every: realEvery, after: realAfter },
      tick: async () => {
        now += 1200; // a snapshot takes 1.2 s
        if (++ticks === 3) controller.abort();
      },
    });
    expect(ticks).toBe(3);
    expect(waits).toEqual([3800, 3800, 3800]);
  });
});

describe("status screen", () => {
  test("durations read like a person would say them", () => {
    expect([duration(42), duration(125), duration(7380), duration(200_000)]).toEqual(["42s", "2m 5s", "2h 3m", "2d 7h"]);
  });

  test("with the chain unreadable, the screen still shows the host process and the reason", () => {
    const report: StatusReport = {
      address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      network: { name: "base-sepolia", label: "Base Sepolia", chainId: 84532, rpc: ["https://sepolia.base.org"], verified: false, foundChainId: 1 },
      block: null,
      registration: null,
      wallet: null,
      earnings: null,
      sessions: null,
      gas: null,
      slashes: [],
      node: { status: "running", mode: "daemon", state: "running", pid: 11, nodePid: 12, startedAt: "2026-01-01T00:00:00Z", uptimeSeconds: 3700, reason: null },
      warnings: [{ kind: "wrong-network", severity: "error", message: "Wrong network: …", hint: "Try: fabstir-host config get rpcUrls" }],
      rpc: { roundTrips: 1, calls: 20 },
      generatedAt: "2026-01-01T01:00:00Z",
    };
    const text = renderStatus(report, styleFor({ color: false }));
    expect(text).toContain("Host 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 on Base Sepolia (chain id 84532)");
    expect(text).toContain("running (daemon, pid 11, node pid 12), up 1h 1m");
    expect(text).toContain("✗ Wrong network");
    expect(text).toContain("Try: fabstir-host config get rpcUrls");
  });
});
