import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseUnits } from "ethers";
import { ANVIL_ACCOUNTS } from "../../../scripts/devnet/accounts.ts";
import { anvilBinary, startAnvil } from "../../../scripts/devnet/anvil.ts";
import { artifactsKey, compileContracts, compileWarnings, readSources } from "../../../scripts/devnet/compile.ts";
import { parseDevnetArgs } from "../../../scripts/devnet/devnet.ts";
import { DEVNET_MODEL_SPECS, FAKE_MODEL_SIZE, fakeModelBytes, fakeModelSha256 } from "../../../scripts/devnet/fake-models.ts";
import { ARTIFACTS_DIR, REPO_ROOT } from "../../../scripts/devnet/paths.ts";
import { rpc } from "../../../scripts/devnet/rpc.ts";
import type { Deployment } from "../../../scripts/devnet/types.ts";
import { DEVNET_HOOK_TIMEOUT_MS, devnetContracts, latestTimestamp, mine, revert, snapshot, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";

const answers = async (rpcUrl: string) =>
  rpc(rpcUrl, "eth_chainId").then(
    () => true,
    () => false,
  );

describe("compile", () => {
  test("artifacts are cached under .devnet/artifacts by a key of sources and solc version", async () => {
    const artifacts = await compileContracts();
    const key = artifactsKey(readSources());
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(ARTIFACTS_DIR, `${key}.json`))).toBe(true);
    const started = performance.now();
    expect(await compileContracts()).toBe(artifacts);
    expect(performance.now() - started).toBeLessThan(100);
    for (const contract of Object.values(artifacts)) expect(contract.bytecode).toMatch(/^0x[0-9a-f]{100,}$/);
  }, 120_000);

  test("the contracts compile without warnings", async () => {
    expect(await compileWarnings()).toEqual([]);
  }, 120_000);
});

describe("fake models", () => {
  test("deterministic GGUF-looking files, one hash per model", () => {
    const hashes = new Set<string>();
    for (const { repo, file } of DEVNET_MODEL_SPECS) {
      const bytes = fakeModelBytes(repo, file);
      expect(bytes.length).toBe(FAKE_MODEL_SIZE);
      expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("GGUF");
      expect(fakeModelBytes(repo, file)).toEqual(bytes);
      const sha = `0x${createHash("sha256").update(bytes).digest("hex")}`;
      expect(fakeModelSha256(repo, file)).toBe(sha);
      hashes.add(sha);
    }
    expect(hashes.size).toBe(DEVNET_MODEL_SPECS.length);
  });
});

describe("anvil", () => {
  test("starts on a free port with chain id 31337 and stops completely", async () => {
    const [a, b] = await Promise.all([startAnvil(), startAnvil({ accounts: 3 })]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(await rpc<string>(a.rpcUrl, "eth_chainId")).toBe("0x7a69");
      expect((await rpc<string[]>(b.rpcUrl, "eth_accounts")).length).toBe(3);
      expect((await rpc<string[]>(a.rpcUrl, "eth_accounts")).map((x) => x.toLowerCase())).toEqual(
        expect.arrayContaining(ANVIL_ACCOUNTS.map((x) => x.address.toLowerCase())),
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    await a.stop(); // idempotent
    expect(a.process.exitCode !== null || a.process.signalCode !== null).toBe(true);
    expect(await answers(a.rpcUrl)).toBe(false);
    expect(anvilBinary()).toContain("anvil");
  });
});

describe("startTestDevnet", () => {
  let devnet: TestDevnet;
  let startMs = 0;
  beforeAll(async () => {
    await compileContracts(); // measure start + deploy, not a cold compile
    const started = performance.now();
    devnet = await startTestDevnet({ disputeWindow: 5 });
    startMs = performance.now() - started;
  }, DEVNET_HOOK_TIMEOUT_MS);
  afterAll(() => devnet?.stop());

  test("starts and deploys in under 2 s with cached artifacts", () => {
    console.log(`devnet start + deploy: ${Math.round(startMs)} ms`);
    expect(startMs).toBeLessThan(2000);
  });

  test("deploys every contract, funds host and client, records the models", async () => {
    const { deployment } = devnet;
    expect(deployment.chainId).toBe(31337);
    expect(deployment.disputeWindow).toBe(5);
    for (const address of Object.values(deployment.contracts)) {
      expect((await rpc<string>(devnet.rpcUrl, "eth_getCode", [address, "latest"])).length).toBeGreaterThan(2);
    }
    const c = devnetContracts(deployment, devnet.provider);
    for (const account of [deployment.accounts.host, deployment.accounts.client]) {
      expect(await c.fabToken.getFunction("balanceOf")(account.address)).toBe(parseUnits("5000", 18));
      expect(await c.usdcToken.getFunction("balanceOf")(account.address)).toBe(parseUnits("10000", 6));
      expect(await devnet.provider.getBalance(account.address)).toBeGreaterThan(parseUnits("1000", 18));
    }
    expect([await c.usdcToken.getFunction("decimals")(), await c.fabToken.getFunction("symbol")()]).toEqual([6n, "FAB"]);
    expect(await c.jobMarketplace.getFunction("usdcAddress")()).toBe(deployment.contracts.usdcToken);
    expect(await c.jobMarketplace.getFunction("proofSystem")()).toBe(deployment.contracts.proofSystem);
    expect(await c.jobMarketplace.getFunction("feeBasisPoints")()).toBe(1000n);
    expect(await c.hostEarnings.getFunction("authorizedCallers")(deployment.contracts.jobMarketplace)).toBe(true);
    expect(deployment.models.map((m) => `${m.repo}:${m.file}`)).toEqual(DEVNET_MODEL_SPECS.map((m) => `${m.repo}:${m.file}`));
    // The TinyVicuna id is the one the live network uses.
    expect(deployment.models[0]!.id).toBe("0x0b75a2061e70e736924a30c0a327db7ab719402129f76f631adbd7b7a5a5bced");
    expect(Object.keys(deployment.abis).sort()).toEqual([
      "HostEarnings",
      "JobMarketplaceWithModels",
      "ModelRegistry",
      "NodeRegistryWithModels",
      "ProofSystem",
      "TestToken",
    ]);
  });

  test("mine moves the clock; snapshot and revert restore state", async () => {
    const before = await latestTimestamp(devnet.rpcUrl);
    const id = await snapshot(devnet.rpcUrl);
    await mine(devnet.rpcUrl, 3600);
    expect(await latestTimestamp(devnet.rpcUrl)).toBeGreaterThanOrEqual(before + 3600);
    await revert(devnet.rpcUrl, id);
    expect(await latestTimestamp(devnet.rpcUrl)).toBe(before);
  });
});

describe("bun run devnet", () => {
  test("parses its options", () => {
    expect(parseDevnetArgs(["--port", "8545", "--dispute-window", "3", "--out", "x.json"])).toMatchObject({ port: 8545, disputeWindow: 3 });
    expect(() => parseDevnetArgs(["--port", "abc"])).toThrow("positive integer");
    expect(() => parseDevnetArgs(["--dispute-window"])).toThrow("needs a value");
    expect(() => parseDevnetArgs(["--bogus"])).toThrow("unknown option");
  });

  test("writes the deployment, stays up, and stops cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fabstir-devnet-"));
    const out = join(dir, "deployment.json");
    const child = spawn(process.execPath, [join(REPO_ROOT, "scripts/devnet/devnet.ts"), "--out", out, "--dispute-window", "3"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes("Press Ctrl-C") && Date.now() < deadline && child.exitCode === null) await Bun.sleep(50);
      expect(output).toContain("Fabstir devnet is running.");
      const deployment = JSON.parse(readFileSync(out, "utf8")) as Deployment;
      expect(deployment.disputeWindow).toBe(3);
      expect(output).toContain(deployment.rpcUrl);
      expect(output).toContain(deployment.accounts.host.address);
      for (const account of ANVIL_ACCOUNTS) expect(output).not.toContain(account.privateKey.slice(2));
      expect(await answers(deployment.rpcUrl)).toBe(true);

      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(existsSync(out)).toBe(false);
      expect(await answers(deployment.rpcUrl)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
