/**
 * Mistakes and odd states on the devnet: a host that is not registered, nothing to withdraw, a --to address without
 * or with a wrong checksum, --amount misuse, the wrong network. Each gets its own clear answer, and no transaction
 * is sent for any of them (the host's nonce does not move).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ZeroAddress } from "ethers";
import { DEVNET_HOOK_TIMEOUT_MS, registerHost } from "../../helpers/devnet.ts";
import { scriptedPrompter } from "../../helpers/context.ts";
import { completeAsHost, fn, newSession, prove, startLedgerHost, type LedgerHost } from "./harness.ts";
import { ChainErrors, CoreErrors, HostLedgerErrors } from "../../../src/errors/codes/index.ts";

let h: LedgerHost;
beforeAll(async () => {
  h = await startLedgerHost({ register: false });
  await h.setUp();
}, DEVNET_HOOK_TIMEOUT_MS);
afterAll(() => h?.stop());

const nonce = () => h.devnet.provider.getTransactionCount(h.host);
const COLD = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

describe("a host that is not registered", () => {
  test("status shows it plainly and exits 0; earnings is empty; withdraw has nothing to do", async () => {
    const before = await nonce();
    const status = await h.run(["status", "--json"]);
    expect(status.code).toBe(0);
    const data = status.json().data;
    expect(data.registration).toMatchObject({ registered: false, active: false, models: [] });
    expect(data.sessions.total).toBe(0);
    expect(data.warnings.map((w: { kind: string }) => w.kind)).toEqual(["not-registered"]);
    const text = await h.run(["status"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("not registered");
    expect(text.stdout).toContain("Try: fabstir-host register");

    const earnings = await h.run(["earnings", "--json"]);
    expect(earnings.code).toBe(0);
    expect(earnings.json().data).toMatchObject({
      sessions: [],
      withdrawals: [],
      totals: { eth: { sessions: 0, credited: { raw: "0" } }, usdc: { sessions: 0 } },
    });
    expect((await h.run(["earnings"])).stdout).toContain("No sessions");

    const withdraw = await h.run(["withdraw", "--yes"]);
    expect(withdraw.code).toBe(1);
    expect(withdraw.stderr).toContain(HostLedgerErrors.NOTHING_TO_WITHDRAW.code);
    expect(withdraw.stderr).toContain("nothing was sent");
    expect(await nonce()).toBe(before);
    expect(existsSync(join(h.configDir, "state", "withdrawals.jsonl"))).toBe(false);
  });
});

describe("withdraw options", () => {
  test("--to must be a checksummed address: lowercase, a wrong checksum, 0x0 and the host itself are refused", async () => {
    const before = await nonce();
    const cases: [string, string][] = [
      [COLD.toLowerCase(), "no checksum"],
      [COLD.toUpperCase().replace("0X", "0x"), "no checksum"],
      [COLD.slice(0, -1) + "B", "checksum is wrong"],
      [COLD.replace("F79b", "F79B"), "checksum is wrong"],
      ["0x1234", "not an address"],
      [ZeroAddress, "zero address"],
      [h.host, "host address itself"],
    ];
    for (const [to, why] of cases) {
      const result = await h.run(["withdraw", "--yes", "--to", to]);
      expect({ to, code: result.code }).toEqual({ to, code: 2 });
      expect(result.stderr).toContain(HostLedgerErrors.WITHDRAW_ADDRESS_INVALID.code);
      expect(result.stderr).toContain(why);
    }
    expect(await nonce()).toBe(before);
  });

  test("--amount needs one token and a parseable, positive value", async () => {
    const noToken = await h.run(["withdraw", "--amount", "1"]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain(HostLedgerErrors.WITHDRAW_OPTIONS.code);
    for (const amount of ["abc", "-1", "0", "0.0000001"]) {
      const result = await h.run(["withdraw", "--token", "usdc", `--amount=${amount}`]);
      expect({ amount, code: result.code, coded: result.stderr.includes(HostLedgerErrors.WITHDRAW_AMOUNT_INVALID.code) }).toEqual({
        amount,
        code: 2,
        coded: true,
      });
    }
    const badToken = await h.run(["withdraw", "--token", "fab"]);
    expect(badToken.code).toBe(2);
  });

  test("with earnings: --amount above the balance is refused; a partial withdraw(amount, token) leaves the rest", async () => {
    await registerHost(h.devnet.deployment, h.devnet.provider);
    const job = await newSession(h, "USDC");
    await prove(h, job, 10_000);
    await completeAsHost(h, job);
    const balance = () => fn(h.asHost.hostEarnings, "getBalance")(h.host, h.usdc) as Promise<bigint>;
    expect(await balance()).toBe(45_000n); // 0.045 USDC

    const before = await nonce();
    const tooMuch = await h.run(["withdraw", "--token", "usdc", "--amount", "0.05", "--yes"]);
    expect(tooMuch.code).toBe(2);
    expect(tooMuch.stderr).toContain("more than the 0.045 USDC");
    expect(await nonce()).toBe(before);

    const part = await h.run(["withdraw", "--token", "usdc", "--amount", "0.04", "--yes", "--json"]);
    expect(part.code).toBe(0);
    expect(part.json().data.preview.method).toBe("withdraw");
    expect(part.json().data.withdrawn).toEqual({ usdc: { token: "usdc", raw: "40000", value: "0.04" } });
    expect(await balance()).toBe(5_000n);

    const ethOnly = await h.run(["withdraw", "--token", "eth", "--yes"]);
    expect(ethOnly.code).toBe(1);
    expect(ethOnly.stderr).toContain("holds no ETH");

    // On a terminal it asks; "no" sends nothing, "yes" withdraws the rest.
    const declined = await h.run(["withdraw"], { tty: true, prompter: scriptedPrompter({ "Withdraw now?": false }) });
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain(CoreErrors.CANCELLED.code);
    expect(declined.stderr).toContain("all 0.005 USDC (withdrawAll)");
    expect(await balance()).toBe(5_000n);
    const accepted = await h.run(["withdraw"], { tty: true, prompter: scriptedPrompter({ "Withdraw now?": true }) });
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain("Withdrawn    0.005 USDC");
    expect(await balance()).toBe(0n);
  });
});

describe("the wrong network", () => {
  test("an RPC of another chain: status shows the mismatch (exit 1), earnings and withdraw refuse, nothing is sent", async () => {
    const { contracts } = h.devnet.deployment;
    h.writeConfig({ network: "custom", chainId: 84532, rpcUrls: [h.devnet.rpcUrl], contracts });
    try {
      const before = await nonce();
      const status = await h.run(["status", "--json"]);
      expect(status.code).toBe(1);
      const data = status.json().data;
      expect(data.network).toMatchObject({ chainId: 84532, foundChainId: 31337, verified: false });
      expect(data.registration).toBeNull();
      expect(data.warnings[0]).toMatchObject({ kind: "wrong-network", severity: "error" });
      expect(data.warnings[0].message).toContain("chain id 31337");
      const text = await h.run(["status"]);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain("Wrong network");

      for (const argv of [["earnings"], ["withdraw", "--yes"]]) {
        const result = await h.run(argv);
        expect({ argv, code: result.code }).toEqual({ argv, code: 1 });
        expect(result.stderr).toContain(ChainErrors.CHAIN_ID_MISMATCH.code);
      }
      expect(await nonce()).toBe(before);
    } finally {
      h.writeConfig({ network: "local", deploymentFile: h.deploymentFile });
    }
    expect((await h.run(["status"])).code).toBe(0);
  });
});

describe("status and earnings options", () => {
  test("--since and --watch values are checked", async () => {
    const since = await h.run(["earnings", "--since", "last tuesday"]);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain(HostLedgerErrors.SINCE_INVALID.code);
    for (const argv of [
      ["status", "--watch", "0"],
      ["status", "--watch=abc"],
      ["status", "7"],
    ]) {
      const result = await h.run(argv);
      expect({ argv, code: result.code, coded: result.stderr.includes(HostLedgerErrors.WATCH_INTERVAL_INVALID.code) }).toEqual({ argv, code: 2, coded: true });
    }
  });
});
