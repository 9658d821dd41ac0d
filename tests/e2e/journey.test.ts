/**
 * A host's whole life through the compiled binary, as an operator runs it (the demo's journey), with assertions on
 * every output and on chain state, then a scan of everything the run wrote for the key, the password and any mnemonic.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { Contract, Wallet, ZeroAddress } from "ethers";
import { compiledBinary } from "../helpers/binary.ts";
import { runJourney, type JourneyResult } from "../../scripts/demo/journey.ts";
import { devnetProvider } from "../../scripts/devnet/actions.ts";

let journey: JourneyResult;
let failure: Error | undefined;
let failedStep: string | undefined;
/** Chain state read while the devnet still ran, after withdraw. */
let chain: { active: boolean; stake: bigint; models: string[]; prices: bigint[]; earnings: bigint[]; fab: bigint } | undefined;

beforeAll(async () => {
  try {
    journey = await runJourney({
      binary: await compiledBinary(),
      retainFiles: true,
      prompts: 3,
      onStep: (report) => {
        if (!report.ok) failedStep = report.name;
      },
      beforeStop: async ({ deployment, address }) => {
        const provider = devnetProvider(deployment.rpcUrl);
        try {
          const registry = new Contract(
            deployment.contracts.nodeRegistry,
            [
              "function getNodeFullInfo(address) view returns (address, uint256, bool, string, string, bytes32[], uint256, uint256)",
              "function getModelPricing(address, bytes32, address) view returns (uint256)",
            ],
            provider,
          );
          const earnings = new Contract(deployment.contracts.hostEarnings, ["function getBalances(address, address[]) view returns (uint256[])"], provider);
          const fab = new Contract(deployment.contracts.fabToken, ["function balanceOf(address) view returns (uint256)"], provider);
          const info = await registry.getFunction("getNodeFullInfo")(address);
          const prices: bigint[] = [];
          for (const model of deployment.models)
            for (const token of [ZeroAddress, deployment.contracts.usdcToken])
              prices.push(await registry.getFunction("getModelPricing")(address, model.id, token));
          chain = {
            active: info[2],
            stake: info[1],
            models: [...info[5]],
            prices,
            earnings: [...(await earnings.getFunction("getBalances")(address, [ZeroAddress, deployment.contracts.usdcToken]))],
            fab: await fab.getFunction("balanceOf")(address),
          };
        } finally {
          provider.destroy();
        }
      },
    });
  } catch (error) {
    failure = new Error(`step "${failedStep ?? "?"}": ${(error as Error).message}`);
    console.error((error as { logs?: string }).logs ?? "");
  }
}, 240_000);

afterAll(() => {
  if (journey) rmSync(journey.scratch, { recursive: true, force: true });
});

const json = (name: string) => JSON.parse(journey.runs[name]!.stdout);

describe("a host's life through the compiled binary", () => {
  test("every step succeeded", () => {
    // The message names the step and the command that failed (its stderr); the host's last log lines are printed above.
    expect(failure?.message).toBeUndefined();
  });

  test("init created an encrypted keystore wallet and the config holds only its address", () => {
    const config = JSON.parse(readFileSync(join(journey.home, "config.json"), "utf8"));
    expect(config.wallet).toEqual({ address: journey.address, backend: "keystore" });
    expect(config.network).toBe("local");
    const keystore = JSON.parse(readFileSync(join(journey.home, "keystore", `${journey.address.toLowerCase()}.json`), "utf8"));
    expect(keystore.crypto?.kdf ?? keystore.Crypto?.kdf).toBe("scrypt");
    expect(statSync(join(journey.home, "keystore", `${journey.address.toLowerCase()}.json`)).mode & 0o077).toBe(0);
  });

  test("register staked, registered and priced every model on chain", () => {
    expect(journey.runs.register!.stdout + journey.runs.register!.stderr).toMatch(/0x[0-9a-f]{64}/);
    expect(chain!.active).toBe(true);
    expect(chain!.stake).toBe(10n ** 21n); // 1000 FAB
    expect(chain!.fab).toBe(10n ** 21n); // 2000 from the faucet, 1000 staked
    expect(chain!.models.sort()).toEqual(journey.deployment.models.map((m) => m.id).sort());
    // init's prices: 0.000003 ETH per thousand tokens and $5 per million tokens, for both models.
    expect(chain!.prices).toEqual([3_000_000_000_000n, 5000n, 3_000_000_000_000n, 5000n]);
  });

  test("withdraw emptied HostEarnings", () => {
    expect(chain!.earnings).toEqual([0n, 0n]);
  });

  test("clients were served and every provable token was proven and paid", () => {
    const { summary, sessions } = journey;
    expect(sessions.map((s) => s.token).sort()).toEqual(["ETH", "USDC"]);
    // Encrypted as the SDK does by default, with its proofInterval of 1,000 (SDK_SESSION_DEFAULTS).
    expect(sessions.map((s) => s.encrypted)).toEqual([true, true]);
    expect(sessions.map((s) => s.tokens)).toEqual([1200, 1200]);
    expect(summary.tokensServed).toBe(2400);
    // The protocol's rule for a session with a proof: max(tokens served, proofInterval) proven.
    expect(summary.tokensProven).toBe(sessions.reduce((sum, s) => sum + Math.max(s.tokens, 1000), 0));
    // Per session: the checkpoint at 1,000 tokens, then the 200-token rest (over the 100-token minimum) at its end.
    expect(summary.proofs).toBe(4);
    expect(Object.keys(summary.credited).sort()).toEqual(["ETH", "USDC"]);
    expect(summary.withdrawn).toEqual(summary.credited);
  });

  test("status, earnings and withdraw answered in the JSON envelope", () => {
    const status = json("status");
    expect(status.ok).toBe(true);
    expect(JSON.stringify(status.data)).toContain(journey.address);
    const earnings = json("earnings");
    expect(earnings.ok).toBe(true);
    expect(journey.runs.withdraw!.code).toBe(0);
  });

  test("the host stopped cleanly and left no process behind", () => {
    expect(journey.runs.stop!.code).toBe(0);
    expect(existsSync(join(journey.home, "run", "host.pid"))).toBe(false);
    const ps = Bun.spawnSync(["ps", "-eo", "args"]).stdout.toString();
    expect(ps).not.toContain(journey.scratch);
  });

  test("no secret appears in anything the run wrote", () => {
    const password = readFileSync(journey.passwordFile, "utf8").trim();
    const keystorePath = join(journey.home, "keystore", `${journey.address.toLowerCase()}.json`);
    const privateKey = Wallet.fromEncryptedJsonSync(readFileSync(keystorePath, "utf8"), password).privateKey;
    const needles = [privateKey, privateKey.slice(2), password];
    const outputs = Object.values(journey.runs)
      .map((run) => run.stdout + run.stderr)
      .join("\n");
    for (const needle of needles) expect(outputs.includes(needle)).toBe(false);
    // Every file under the state directory except the encrypted keystore itself, compressed logs included.
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path !== keystorePath) files.push(path);
      }
    };
    walk(journey.home);
    expect(files.some((f) => f.includes(`${join("logs", "")}`))).toBe(true);
    for (const file of files) {
      const raw = readFileSync(file);
      const text = file.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
      for (const needle of needles) expect({ file, leaked: text.includes(needle) }).toEqual({ file, leaked: false });
    }
  });
});
