/** The chain-backed doctor checks (rpc, wallet, balances, registration) against a devnet, through `fabstir-host doctor`. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEVNET_HOOK_TIMEOUT_MS, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { registerChainDoctorChecks, CHAIN_DOCTOR_CHECKS } from "../../../src/doctor/checks/chain-checks.ts";
import { unregisterDoctorCheck } from "../../../src/doctor/registry.ts";
import { fundedAccount, hostEnv, registeredHost, type HostEnv } from "../../commands/helpers/host-env.ts";

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet();
  registerChainDoctorChecks();
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  for (const check of CHAIN_DOCTOR_CHECKS) unregisterDoctorCheck(check.id);
  await devnet?.stop();
});

type Outcome = { id: string; status: string; summary: string; fix?: string };

async function doctor(env: HostEnv, extraEnv: Record<string, string> = {}): Promise<Record<string, Outcome>> {
  const result = await env.run(["doctor", "--only", "rpc,wallet,balances,registration", "--json"], { env: extraEnv });
  const checks = JSON.parse(result.stdout).data.checks as Outcome[];
  return Object.fromEntries(checks.map((c) => [c.id, c]));
}

describe("doctor on the chain", () => {
  test("a registered, priced host with one RPC: all pass", async () => {
    const env = await registeredHost(devnet);
    const checks = await doctor(env);
    expect(checks.rpc).toMatchObject({ status: "pass" });
    expect(checks.rpc!.summary).toContain("1/1 RPC URL answer on local devnet (chain id 31337), contracts deployed; no fallback configured");
    expect(checks.wallet).toMatchObject({ status: "pass" });
    expect(checks.balances).toMatchObject({ status: "pass" });
    expect(checks.balances!.summary).toContain("staked 1000 FAB");
    expect(checks.registration).toMatchObject({ status: "pass" });
    expect(checks.registration!.summary).toContain("all priced for ETH and USDC");
  });

  test("a missing price fails registration; a changed URL warns", async () => {
    const env = await registeredHost(devnet);
    expect((await env.run(["pricing", "clear", "--model", env.ref(0), "--token", "eth", "--yes"])).code).toBe(0);
    let checks = await doctor(env);
    expect(checks.registration).toMatchObject({ status: "fail" });
    expect(checks.registration!.summary).toContain(`no price for ${env.ref(0)} (ETH)`);
    expect(checks.registration!.fix).toContain("fabstir-host register");
    expect((await env.run(["register", "--yes"])).code).toBe(0);
    env.writeConfig({ publicUrl: "https://moved.example.org:8080" });
    checks = await doctor(env);
    expect(checks.registration).toMatchObject({ status: "warn" });
    expect(checks.registration!.fix).toContain("fabstir-host update url https://moved.example.org:8080");
  });

  test("an unregistered host short of FAB: balances and registration fail with the fix", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet, { fab: 10n ** 20n, eth: 10n ** 15n }) });
    const checks = await doctor(env);
    expect(checks.balances).toMatchObject({ status: "fail" });
    expect(checks.balances!.summary).toContain("registering needs 1000 FAB (900 missing)");
    expect(checks.registration).toMatchObject({ status: "fail", fix: "Run `fabstir-host register`." });
  });

  test("rpc: a dead fallback or primary warns (failover), another chain fails", async () => {
    const env = await registeredHost(devnet);
    env.writeConfig({ rpcUrls: [devnet.rpcUrl, "http://127.0.0.1:9"] });
    let checks = await doctor(env);
    expect(checks.rpc).toMatchObject({ status: "warn" });
    expect(checks.rpc!.fix).toContain("failing fallback");
    env.writeConfig({ rpcUrls: ["http://127.0.0.1:9", devnet.rpcUrl] });
    checks = await doctor(env);
    expect(checks.rpc).toMatchObject({ status: "warn" });
    expect(checks.rpc!.summary).toContain("failing over to");
    expect(checks.registration).toMatchObject({ status: "pass" });
    env.writeConfig({ network: "base-sepolia", chainId: 84532, deploymentFile: null, rpcUrls: [devnet.rpcUrl] });
    checks = await doctor(env);
    expect(checks.rpc).toMatchObject({ status: "fail" });
    expect(checks.rpc!.summary).toContain("is on chain id 31337, but Base Sepolia is chain id 84532");
  });

  test("wallet in a keystore: warns without a password file, fails on a missing one, passes with one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fabstir-doctor-pw-"));
    const passwordFile = join(dir, "pw.txt");
    writeFileSync(passwordFile, "correct horse battery staple 9\n", { mode: 0o600 });
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet), keystorePasswordFile: passwordFile });
    expect((await doctor(env)).wallet).toMatchObject({ status: "warn" });
    expect((await doctor(env, { FABSTIR_PASSWORD_FILE: join(dir, "missing.txt") })).wallet).toMatchObject({ status: "fail" });
    const ok = (await doctor(env, { FABSTIR_PASSWORD_FILE: passwordFile })).wallet!;
    expect(ok.status).toBe("pass");
    expect(ok.summary).toContain("password from FABSTIR_PASSWORD_FILE");
  });
});
