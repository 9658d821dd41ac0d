/**
 * status / earnings / withdraw in-process without a chain: set-up problems, option errors caught before any RPC,
 * and a status screen that still shows the host process (and its uptime) when the RPC is down.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE_SEPOLIA_CONTRACTS } from "../../../src/chain/networks.ts";
import { makeTestContext, runCli } from "../../helpers/context.ts";
import { CoreErrors, HostLedgerErrors, WalletErrors } from "../../../src/errors/codes/index.ts";

const HOST = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

function hostDir(config?: Record<string, unknown>): { configDir: string; run(argv: string[], tty?: boolean): ReturnType<typeof runCli> } {
  const home = mkdtempSync(join(tmpdir(), "ledger-cmd-"));
  const configDir = join(home, "fabstir");
  if (config) {
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, "config.json"), JSON.stringify({ version: 1, ...config }), { mode: 0o600 });
  }
  return { configDir, run: (argv, tty = false) => runCli([...argv, "--config-dir", configDir], makeTestContext({ env: { HOME: home, NO_COLOR: "1" }, tty })) };
}

/** A config whose only RPC refuses connections at once. */
const unreachable = {
  network: "custom",
  chainId: 84532,
  rpcUrls: ["http://127.0.0.1:1"],
  contracts: BASE_SEPOLIA_CONTRACTS,
  wallet: { address: HOST, backend: "keychain" },
};

describe("set-up problems", () => {
  test("no configuration: each command says to run init", async () => {
    const dir = hostDir();
    for (const argv of [["status"], ["earnings"], ["withdraw", "--yes"]]) {
      const result = await dir.run(argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 1 });
      expect(result.stderr).toContain(CoreErrors.NOT_INITIALIZED.code);
      expect(result.stderr).toContain("fabstir-host init");
    }
    const json = await dir.run(["status", "--json"]);
    expect(json.json()).toMatchObject({ ok: false, error: { code: CoreErrors.NOT_INITIALIZED.code } });
  });

  test("a configuration without a wallet", async () => {
    const { wallet: _, ...noWallet } = unreachable;
    const result = await hostDir(noWallet).run(["status"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(WalletErrors.NO_WALLET.code);
  });
});

describe("option errors come before any chain access", () => {
  test("withdraw: bad --to, --amount without --token; earnings: bad --since; status: bad --watch", async () => {
    const dir = hostDir(unreachable);
    const cases: [string[], string][] = [
      [["withdraw", "--to", HOST.toLowerCase()], HostLedgerErrors.WITHDRAW_ADDRESS_INVALID.code],
      [["withdraw", "--amount", "5"], HostLedgerErrors.WITHDRAW_OPTIONS.code],
      [["earnings", "--since", "soon"], HostLedgerErrors.SINCE_INVALID.code],
      [["status", "--watch=0"], HostLedgerErrors.WATCH_INTERVAL_INVALID.code],
    ];
    for (const [argv, code] of cases) {
      const started = Date.now();
      const result = await dir.run(argv);
      expect({ argv, exit: result.code, coded: result.stderr.includes(code) }).toEqual({ argv, exit: 2, coded: true });
      expect(Date.now() - started).toBeLessThan(1_500); // no RPC retries behind it
    }
  });
});

describe("status without a reachable RPC", () => {
  test("shows the host process and its uptime, names the RPC problem, exits 1", async () => {
    const dir = hostDir(unreachable);
    const runDir = join(dir.configDir, "run");
    mkdirSync(runDir, { recursive: true });
    const started = new Date(Date.now() - (2 * 3600 + 5 * 60) * 1000).toISOString();
    const record = {
      pid: process.pid,
      processStart: null,
      started,
      version: "0.0.0-test",
      mode: "daemon",
      home: dir.configDir,
      state: "running",
      unhealthyReason: null,
      node: { pid: process.pid, pgid: process.pid, processStart: null },
      ports: { internal: 8081, api: 8080, p2p: 9000 },
      logs: { host: null, node: "n.log", daemon: null },
    };
    writeFileSync(join(runDir, "host.pid"), JSON.stringify(record));

    const result = await dir.run(["status", "--json"]);
    expect(result.code).toBe(1);
    const data = result.json().data;
    expect(data.node).toMatchObject({ status: "running", mode: "daemon", pid: process.pid, nodePid: process.pid, startedAt: started });
    expect(data.node.uptimeSeconds).toBeGreaterThanOrEqual(2 * 3600 + 5 * 60);
    expect(data.registration).toBeNull();
    expect(data.warnings[0]).toMatchObject({ kind: "chain-unreachable", severity: "error" });
    expect(data.warnings[0].message).toContain("127.0.0.1:1");

    const text = await dir.run(["status"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("running (daemon");
    expect(text.stdout).toContain("up 2h 5m");
    expect(text.stdout).toContain("Could not read custom network: No RPC endpoint answered");
  });

  test("a PID file whose process is gone shows as stale, with a warning", async () => {
    const dir = hostDir(unreachable);
    mkdirSync(join(dir.configDir, "run"), { recursive: true });
    writeFileSync(
      join(dir.configDir, "run", "host.pid"),
      JSON.stringify({ pid: 2 ** 22 + 12345, processStart: null, started: new Date().toISOString(), mode: "daemon", state: "running", node: null }),
    );
    const data = (await dir.run(["status", "--json"])).json().data;
    expect(data.node.status).toBe("stale");
    expect(data.warnings.map((w: { kind: string }) => w.kind)).toEqual(["chain-unreachable", "host-stale"]);
  });
});
