/**
 * A host's whole life on one machine, driven through the compiled `fabstir-host` exactly as an operator runs it:
 * init → fund (the devnet's faucet) → models download → doctor → register → start --daemon → clients chat in ETH and
 * USDC through the public port → proofs and settlements land → status → earnings → withdraw → stop.
 * The demo prints it; the end-to-end test asserts on every step. Everything it starts, it stops (unless `keep`).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, Interface, formatEther, formatUnits } from "ethers";
import { startAnvil, findFreePort, type AnvilHandle } from "../devnet/anvil.ts";
import { deployFabstir } from "../devnet/deploy.ts";
import { devnetProvider } from "../devnet/actions.ts";
import type { Deployment } from "../devnet/types.ts";
import { runClientSessions, type ClientSessionResult } from "../devnet/client.ts";
import { startModelHost, type ModelHost } from "./model-host.ts";
import { fundHost } from "./faucet.ts";

const root = join(import.meta.dir, "..", "..");

export interface JourneyOptions {
  binary: string;
  keep?: boolean;
  /** Leave the state directory (config, logs, keystore) for inspection; the caller removes `scratch`. */
  retainFiles?: boolean;
  /** Called after withdraw, while the devnet and the host still run (tests read chain state here). */
  beforeStop?: (facts: { deployment: Deployment; address: string; home: string }) => Promise<void>;
  /** Prompts per client session. */
  prompts?: number;
  onStep?: (step: StepReport) => void;
}

export interface CommandRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface StepReport {
  index: number;
  total: number;
  name: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

export interface JourneyResult {
  scratch: string;
  home: string;
  passwordFile: string;
  deployment: Deployment;
  address: string;
  runs: Record<string, CommandRun>;
  sessions: ClientSessionResult[];
  summary: { tokensServed: number; proofs: number; tokensProven: number; credited: Record<string, string>; withdrawn: Record<string, string> };
  /** Kept running with `keep`: call to stop everything. */
  stop(): Promise<void>;
}

const STEPS = ["devnet", "init", "faucet", "models download", "doctor", "register", "start --daemon", "client sessions", "proofs land", "status", "earnings", "withdraw", "stop"];

export async function runJourney(options: JourneyOptions): Promise<JourneyResult> {
  const scratch = mkdtempSync(join(tmpdir(), "fabstir-demo-"));
  const home = join(scratch, "host");
  const passwordFile = join(scratch, "password.txt");
  writeFileSync(passwordFile, "demo host passphrase, long enough 2026\n", { mode: 0o600 });
  const runs: Record<string, CommandRun> = {};
  let anvil: AnvilHandle | undefined;
  let modelHost: ModelHost | undefined;
  let daemonStarted = false;
  let index = 0;

  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: scratch, FABSTIR_HOME: home, NO_COLOR: "1", FABSTIR_NO_UPDATE_CHECK: "1" };
  const cli = async (name: string, args: string[], allowFailure = false): Promise<CommandRun> => {
    const started = performance.now();
    const child = Bun.spawn([options.binary, ...args], { env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    const run = { args, code, stdout, stderr, ms: Math.round(performance.now() - started) };
    runs[name] = run;
    if (code !== 0 && !allowFailure) throw new Error(`fabstir-host ${args.join(" ")} exited ${code}:\n${stderr || stdout}`);
    return run;
  };
  const step = async <T>(name: string, action: () => Promise<T>, detail?: (value: T) => string): Promise<T> => {
    index++;
    const started = performance.now();
    try {
      const value = await action();
      options.onStep?.({ index, total: STEPS.length, name, ok: true, ms: Math.round(performance.now() - started), detail: detail?.(value) });
      return value;
    } catch (error) {
      // ethers errors carry a short message; the long one repeats the whole transaction.
      const message = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message;
      options.onStep?.({ index, total: STEPS.length, name, ok: false, ms: Math.round(performance.now() - started), detail: message });
      throw error;
    }
  };

  const stopAll = async () => {
    if (daemonStarted) await cli("stop (cleanup)", ["stop"], true).catch(() => {});
    modelHost?.stop();
    await anvil?.stop();
    anvil = undefined;
    modelHost = undefined;
    if (!options.retainFiles) rmSync(scratch, { recursive: true, force: true });
  };

  try {
    const deployment = await step("devnet", async () => {
      anvil = await startAnvil();
      return deployFabstir(anvil.rpcUrl, { disputeWindow: 3 });
    }, (d) => `anvil at ${d.rpcUrl}, contracts deployed, ${d.models.length} models approved`);
    const deploymentFile = join(scratch, "deployment.json");
    writeFileSync(deploymentFile, JSON.stringify(deployment, null, 2), { mode: 0o600 });
    modelHost = startModelHost();
    const [apiPort, internalPort, p2pPort, metricsPort] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
    const models = deployment.models.map((m) => `${m.repo}:${m.file}`);

    const address = await step("init", async () => {
      await cli("init", ["init", "--yes", "--network", "local", "--deployment-file", deploymentFile, "--backend", "keystore", "--password-file", passwordFile, "--public-url", `http://127.0.0.1:${apiPort}`, "--api-port", String(apiPort), "--models", models.join(","), "--price-usdc", "5", "--price-eth", "0.000003", "--signer", "node"]);
      // Demo equipment: the node stand-in instead of a GPU build, and local ports.
      const wrapper = join(scratch, "fabstir-llm-node");
      writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${join(root, "scripts", "devnet", "node-sim.ts")}"\n`);
      chmodSync(wrapper, 0o755);
      for (const [key, value] of [
        ["node.binaryPath", wrapper],
        ["node.internalPort", String(internalPort)],
        ["node.p2pPort", String(p2pPort)],
        ["node.extraEnv", JSON.stringify({ SIM_CHECKPOINT_INTERVAL: "100", SIM_TOKENS_PER_PROMPT: "150", SIM_TOKEN_DELAY_MS: "2", SIM_SETTLE_TIMEOUT_MS: "60000" })],
        ["metrics.listen", `127.0.0.1:${metricsPort}`],
        ["modelHost.baseUrl", modelHost!.baseUrl],
        ["proofs.graceSeconds", "10"],
      ]) await cli(`config set ${key}`, ["config", "set", key!, value!]);
      return JSON.parse((await cli("wallet address", ["wallet", "address", "--json"])).stdout).data.address as string;
    }, (a) => `keystore wallet ${a}, network local`);

    await step("faucet", () => fundHost(deployment, address), () => "1 ETH, 2000 FAB, 100 USDC from the devnet faucet");
    await step("models download", async () => {
      for (const model of models) await cli(`models download ${model}`, ["models", "download", model]);
    }, () => `${models.length} models downloaded and verified against the ModelRegistry's SHA-256`);
    await step("doctor", () => cli("doctor", ["doctor", "--json"], true), (run) => {
      const report = safeJson(run.stdout)?.data as { counts?: Record<string, number>; checks?: { id: string; status: string }[] } | undefined;
      if (!report?.counts) return `exit ${run.code}`;
      const failing = (report.checks ?? []).filter((c) => c.status === "fail").map((c) => c.id);
      return Object.entries(report.counts).map(([k, v]) => `${v} ${k}`).join(", ") + (failing.length ? ` (fail: ${failing.join(", ")}: expected on a demo machine)` : "");
    });
    await step("register", () => cli("register", ["register", "--yes", "--password-file", passwordFile]), () => "staked 1000 FAB, registered, priced 2 models × ETH and USDC");
    await step("start --daemon", async () => {
      const run = await cli("start", ["start", "--daemon", "--password-file", passwordFile]);
      daemonStarted = true;
      return run;
    }, () => `public API on :${apiPort}, node on :${internalPort}`);

    const prompts = options.prompts ?? 3;
    const sessions = await step("client sessions", async () => {
      const hostUrl = `http://127.0.0.1:${apiPort}`;
      return runClientSessions([
        { deployment, hostUrl, token: "ETH", prompts, modelIndex: 0, host: address },
        { deployment, hostUrl, token: "USDC", prompts, modelIndex: 1, host: address },
      ]);
    }, (list) => list.map((s) => `${s.token} job ${s.jobId}: ${s.tokens} tokens`).join("; "));

    const chainFacts = await step("proofs land", () => waitForSettlement(deployment, sessions.map((s) => s.jobId)), (f) => `${f.proofs} proofs for ${f.tokensProven} tokens; sessions settled`);
    await step("status", () => cli("status", ["status", "--json"]), (run) => (safeJson(run.stdout)?.ok ? "registered and serving" : "see output"));
    await step("earnings", () => cli("earnings", ["earnings", "--json"]), () => "ledger rebuilt from chain events");
    await step("withdraw", () => cli("withdraw", ["withdraw", "--yes", "--token", "all", "--password-file", passwordFile]), () => "HostEarnings paid out to the host wallet");
    const withdrawn = await readWithdrawn(deployment, address);
    await options.beforeStop?.({ deployment, address, home });
    if (!options.keep) {
      await step("stop", async () => {
        await cli("stop", ["stop"]);
        daemonStarted = false;
      }, () => "daemon drained and stopped, node stopped");
    }
    return {
      scratch,
      home,
      passwordFile,
      deployment,
      address,
      runs,
      sessions,
      summary: {
        tokensServed: sessions.reduce((sum, s) => sum + s.tokens, 0),
        proofs: chainFacts.proofs,
        tokensProven: chainFacts.tokensProven,
        credited: chainFacts.credited,
        withdrawn,
      },
      stop: stopAll,
    };
  } catch (error) {
    const logs = collectLogs(home);
    await stopAll();
    throw Object.assign(error as Error, { logs });
  } finally {
    if (!options.keep) {
      // On success, stopAll runs here; on failure it already ran.
      await stopAll().catch(() => {});
    }
  }
}

function safeJson(text: string): { ok?: boolean; data?: unknown } | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const MARKET = new Interface([
  "event ProofSubmitted(uint256 indexed jobId, address indexed host, uint256 tokensClaimed, bytes32 proofHash, string proofCID, string deltaCID)",
  "function sessionJobs(uint256) view returns (uint256 id, address depositor, address host, address paymentToken, uint256 deposit, uint256 pricePerToken, uint256 tokensUsed, uint256 maxDuration, uint256 startTime, uint256 lastProofTime, uint256 proofInterval, uint256 proofTimeoutWindow, uint8 status, uint256 withdrawnByHost, uint256 refundedToUser, string conversationCID, bytes32 lastProofHash, string lastProofCID)",
]);
const EARNINGS = new Interface([
  "event EarningsCredited(address indexed host, address indexed token, uint256 amount, uint256 newBalance)",
  "event EarningsWithdrawn(address indexed host, address indexed token, uint256 amount, uint256 remainingBalance)",
]);

async function waitForSettlement(deployment: Deployment, jobIds: string[], timeoutMs = 120_000) {
  const provider = devnetProvider(deployment.rpcUrl);
  try {
    const market = new Contract(deployment.contracts.jobMarketplace, MARKET, provider);
    const until = Date.now() + timeoutMs;
    for (;;) {
      const jobs = await Promise.all(jobIds.map((id) => market.getFunction("sessionJobs")(BigInt(id))));
      if (jobs.every((job) => Number(job.status) !== 0)) break;
      if (Date.now() > until) throw new Error(`sessions not settled within ${timeoutMs / 1000} s: statuses ${jobs.map((j) => Number(j.status)).join(", ")}`);
      await Bun.sleep(500);
    }
    const proofs = (await provider.getLogs({ address: deployment.contracts.jobMarketplace, fromBlock: 0, topics: [MARKET.getEvent("ProofSubmitted")!.topicHash] })).map((log) => MARKET.parseLog(log)!);
    const credited: Record<string, bigint> = {};
    for (const log of await provider.getLogs({ address: deployment.contracts.hostEarnings, fromBlock: 0, topics: [EARNINGS.getEvent("EarningsCredited")!.topicHash] })) {
      const parsed = EARNINGS.parseLog(log)!;
      const token = tokenName(deployment, parsed.args.getValue("token"));
      credited[token] = (credited[token] ?? 0n) + (parsed.args.getValue("amount") as bigint);
    }
    return {
      proofs: proofs.length,
      tokensProven: proofs.reduce((sum, p) => sum + Number(p.args.getValue("tokensClaimed")), 0),
      credited: Object.fromEntries(Object.entries(credited).map(([t, v]) => [t, human(t, v)])),
    };
  } finally {
    provider.destroy();
  }
}

async function readWithdrawn(deployment: Deployment, host: string): Promise<Record<string, string>> {
  const provider = devnetProvider(deployment.rpcUrl);
  try {
    const out: Record<string, bigint> = {};
    for (const log of await provider.getLogs({ address: deployment.contracts.hostEarnings, fromBlock: 0, topics: [EARNINGS.getEvent("EarningsWithdrawn")!.topicHash] })) {
      const parsed = EARNINGS.parseLog(log)!;
      if ((parsed.args.getValue("host") as string).toLowerCase() !== host.toLowerCase()) continue;
      const token = tokenName(deployment, parsed.args.getValue("token"));
      out[token] = (out[token] ?? 0n) + (parsed.args.getValue("amount") as bigint);
    }
    return Object.fromEntries(Object.entries(out).map(([t, v]) => [t, human(t, v)]));
  } finally {
    provider.destroy();
  }
}

const tokenName = (deployment: Deployment, token: string) => (/^0x0{40}$/i.test(token) ? "ETH" : token.toLowerCase() === deployment.contracts.usdcToken.toLowerCase() ? "USDC" : token);
const human = (token: string, amount: bigint) => (token === "USDC" ? `${formatUnits(amount, 6)} USDC` : `${formatEther(amount)} ETH`);

/** The host's logs, for a failure report (the demo's home is deleted afterwards). */
function collectLogs(home: string): string {
  const dir = join(home, "logs");
  try {
    return readdirSync(dir)
      .filter((name) => statSync(join(dir, name)).isFile() && !name.endsWith(".gz"))
      .map((name) => `--- ${name}\n${readFileSync(join(dir, name), "utf8").split("\n").slice(-40).join("\n")}`)
      .join("\n");
  } catch {
    return "";
  }
}
