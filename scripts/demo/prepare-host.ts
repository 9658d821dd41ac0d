/**
 * A host made ready to start, the way an operator gets there with the compiled `fabstir-host`: a devnet (anvil + the
 * project's contracts), `init --yes` with a keystore wallet, the devnet's faucet, the models downloaded from a local
 * model host, the node stand-in configured as the node build, and `register --yes`. The demo's journey, the end-to-end
 * tests and the soak benchmark all start from here; `stop()` ends whatever it and the commands run through it started.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAnvil, findFreePortBlock, type AnvilHandle } from "../devnet/anvil.ts";
import { deployFabstir } from "../devnet/deploy.ts";
import type { Deployment } from "../devnet/types.ts";
import { startModelHost, type ModelHost } from "./model-host.ts";
import { fundHost } from "./faucet.ts";
import { collectLogs } from "./chain-facts.ts";

const root = join(import.meta.dir, "..", "..");

/** The node stand-in's settings for a demo host: short answers, checkpoints every 100 tokens, quick tokens. */
export const DEMO_NODE_ENV: Record<string, string> = {
  SIM_CHECKPOINT_INTERVAL: "100",
  SIM_TOKENS_PER_PROMPT: "150",
  SIM_TOKEN_DELAY_MS: "2",
  SIM_SETTLE_TIMEOUT_MS: "60000",
};

export interface CommandRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs one phase of the set-up; the journey passes its own to report each one as a step. */
export type StepRunner = <T>(name: string, action: () => Promise<T>, detail?: (value: T) => string) => Promise<T>;

export interface PrepareHostOptions {
  binary: string;
  /** Who signs proofs: the node (the CLI is the safety net) or the CLI itself. Default "node". */
  signer?: "node" | "cli";
  /** Merged over DEMO_NODE_ENV into node.extraEnv (e.g. SIM_CRASH_AFTER_TOKENS). */
  nodeEnv?: Record<string, string>;
  /** Seconds the node gets to prove or settle before the CLI does (proofs.graceSeconds). Default 10. */
  graceSeconds?: number;
  /** More `config set` pairs, applied after the defaults. */
  settings?: [string, string][];
  /** Run `doctor --json` after the models are downloaded (the demo shows it). */
  doctor?: boolean;
  /** The devnet contract's dispute window, seconds. Default 3. */
  disputeWindow?: number;
  /** `stop()` leaves the scratch directory (config, logs, keystore) for inspection. */
  retainFiles?: boolean;
  step?: StepRunner;
  /** Called once with `stop()` before anything is started, so a signal mid-way can stop what was started. */
  onStop?: (stop: () => Promise<void>) => void;
}

export interface DaemonPidRecord {
  pid: number;
  state: string;
  node: { pid: number; pgid: number } | null;
  ports: { internal: number | null; api: number; p2p: number };
}

export interface PreparedHost {
  scratch: string;
  home: string;
  passwordFile: string;
  deploymentFile: string;
  deployment: Deployment;
  address: string;
  models: string[];
  ports: { api: number; internal: number; p2p: number; metrics: number };
  publicUrl: string;
  metricsUrl: string;
  /** The latest run of each named command. */
  runs: Record<string, CommandRun>;
  /** Every command run, in order (a secret scan reads them all). */
  history: CommandRun[];
  /** Runs `fabstir-host <args>` as the operator would (no secret in argv or env); throws on a non-zero exit unless allowed. */
  cli(args: string[], options?: { name?: string; allowFailure?: boolean }): Promise<CommandRun>;
  /** `<home>/run/host.pid`, when a host runs (or left it behind). */
  pidRecord(): DaemonPidRecord | undefined;
  /** Stops the daemon (if its PID file is there), the model host and the devnet; safe to call more than once. */
  stop(): Promise<void>;
}

export async function prepareHost(options: PrepareHostOptions): Promise<PreparedHost> {
  const step: StepRunner = options.step ?? ((_name, action) => action());
  const scratch = mkdtempSync(join(tmpdir(), "fabstir-demo-"));
  const home = join(scratch, "host");
  const passwordFile = join(scratch, "password.txt");
  writeFileSync(passwordFile, "demo host passphrase, long enough 2026\n", { mode: 0o600 });
  const runs: Record<string, CommandRun> = {};
  const history: CommandRun[] = [];
  let anvil: AnvilHandle | undefined;
  let modelHost: ModelHost | undefined;
  let stopped = false;

  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: scratch, FABSTIR_HOME: home, NO_COLOR: "1", FABSTIR_NO_UPDATE_CHECK: "1" };
  const cli: PreparedHost["cli"] = async (args, { name = args.join(" "), allowFailure = false } = {}) => {
    const started = performance.now();
    const child = Bun.spawn([options.binary, ...args], { env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    const run = { args, code, stdout, stderr, ms: Math.round(performance.now() - started) };
    runs[name] = run;
    history.push(run);
    if (code !== 0 && !allowFailure) throw new Error(`fabstir-host ${args.join(" ")} exited ${code}:\n${stderr || stdout}`);
    return run;
  };
  const pidFile = join(home, "run", "host.pid");
  const pidRecord = (): DaemonPidRecord | undefined => {
    try {
      return JSON.parse(readFileSync(pidFile, "utf8")) as DaemonPidRecord;
    } catch {
      return undefined;
    }
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // `stop` also cleans up after a host that died (a stale PID file): it stops the node that host left running.
    if (existsSync(pidFile)) await cli(["stop"], { name: "stop (cleanup)", allowFailure: true }).catch(() => {});
    modelHost?.stop();
    await anvil?.stop();
    if (!options.retainFiles) rmSync(scratch, { recursive: true, force: true });
  };
  options.onStop?.(stop);

  try {
    const deployment = await step(
      "devnet",
      async () => {
        anvil = await startAnvil();
        return deployFabstir(anvil.rpcUrl, { disputeWindow: options.disputeWindow ?? 3 });
      },
      (d) => `anvil at ${d.rpcUrl}, contracts deployed, ${d.models.length} models approved`,
    );
    const deploymentFile = join(scratch, "deployment.json");
    writeFileSync(deploymentFile, JSON.stringify(deployment, null, 2), { mode: 0o600 });
    modelHost = startModelHost();
    // One block of ports: the API, metrics, the first node's internal port and the next for a second node, then P2P
    // ports three per node (src/node/instances/plan.ts derives them from the first), clear of the OS's port-0 picks.
    const base = await findFreePortBlock(12);
    const ports = { api: base, metrics: base + 1, internal: base + 2, p2p: base + 4 };
    const models = deployment.models.map((m) => `${m.repo}:${m.file}`);

    const address = await step(
      "init",
      async () => {
        await cli(
          [
            "init",
            "--yes",
            "--network",
            "local",
            "--deployment-file",
            deploymentFile,
            "--backend",
            "keystore",
            "--password-file",
            passwordFile,
            "--public-url",
            `http://127.0.0.1:${ports.api}`,
            "--api-port",
            String(ports.api),
            "--models",
            models.join(","),
            "--price-usdc",
            "5",
            "--price-eth",
            "0.000003",
            "--signer",
            options.signer ?? "node",
          ],
          { name: "init" },
        );
        // Demo equipment: the node stand-in instead of a GPU build, and local ports.
        const wrapper = join(scratch, "fabstir-llm-node");
        writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${join(root, "scripts", "devnet", "node-sim.ts")}"\n`);
        chmodSync(wrapper, 0o755);
        const settings: [string, string][] = [
          ["node.binaryPath", wrapper],
          ["node.internalPort", String(ports.internal)],
          ["node.p2pPort", String(ports.p2p)],
          ["node.extraEnv", JSON.stringify({ ...DEMO_NODE_ENV, ...options.nodeEnv })],
          ["metrics.listen", `127.0.0.1:${ports.metrics}`],
          ["modelHost.baseUrl", modelHost!.baseUrl],
          ["proofs.graceSeconds", String(options.graceSeconds ?? 10)],
          ...(options.settings ?? []),
        ];
        for (const [key, value] of settings) await cli(["config", "set", key, value], { name: `config set ${key}` });
        return JSON.parse((await cli(["wallet", "address", "--json"], { name: "wallet address" })).stdout).data.address as string;
      },
      (a) => `keystore wallet ${a}, network local`,
    );

    await step(
      "faucet",
      () => fundHost(deployment, address),
      () => "1 ETH, 2000 FAB, 100 USDC from the devnet faucet",
    );
    await step(
      "models download",
      async () => {
        for (const model of models) await cli(["models", "download", model], { name: `models download ${model}` });
      },
      () => `${models.length} models downloaded and verified against the ModelRegistry's SHA-256`,
    );
    if (options.doctor) {
      await step(
        "doctor",
        () => cli(["doctor", "--json"], { name: "doctor", allowFailure: true }),
        (run) => doctorSummary(run),
      );
    }
    await step(
      "register",
      () => cli(["register", "--yes", "--password-file", passwordFile], { name: "register" }),
      () => "staked 1000 FAB, registered, priced 2 models × ETH and USDC",
    );
    return {
      scratch,
      home,
      passwordFile,
      deploymentFile,
      deployment,
      address,
      models,
      ports,
      publicUrl: `http://127.0.0.1:${ports.api}`,
      metricsUrl: `http://127.0.0.1:${ports.metrics}/metrics`,
      runs,
      history,
      cli,
      pidRecord,
      stop,
    };
  } catch (error) {
    // Nothing is left running when the set-up fails; the host's last log lines go with the error.
    const logs = collectLogs(home);
    await stop();
    throw Object.assign(error as Error, { logs });
  }
}

function doctorSummary(run: CommandRun): string {
  let report: { counts?: Record<string, number>; checks?: { id: string; status: string }[] } | undefined;
  try {
    report = JSON.parse(run.stdout)?.data;
  } catch {
    report = undefined;
  }
  if (!report?.counts) return `exit ${run.code}`;
  const failing = (report.checks ?? []).filter((c) => c.status === "fail").map((c) => c.id);
  return (
    Object.entries(report.counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(", ") + (failing.length ? ` (fail: ${failing.join(", ")}: expected on a demo machine)` : "")
  );
}
