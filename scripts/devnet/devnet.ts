/**
 * `bun run devnet`: a complete local Fabstir network.
 *
 * Starts anvil, deploys the contracts, writes the deployment file and stays up until
 * Ctrl-C or SIGTERM, then stops anvil and removes the (now stale) deployment file.
 *
 *   bun run devnet [--port N] [--dispute-window SECONDS] [--out FILE]
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { startAnvil } from "./anvil.ts";
import { deployFabstir } from "./deploy.ts";
import { DEFAULT_DEPLOYMENT_FILE } from "./paths.ts";
import type { Deployment } from "./types.ts";

const USAGE = `Usage: bun run devnet [--port N] [--dispute-window SECONDS] [--out FILE]

  --port N                 anvil port on 127.0.0.1 (default: a free port)
  --dispute-window SECONDS seconds a host waits after its last proof before completing
                           a session (default 30, as on Base Sepolia)
  --out FILE               where to write the deployment JSON (default .devnet/deployment.json)`;

export interface DevnetArgs {
  port?: number;
  disputeWindow?: number;
  out: string;
  help: boolean;
}

export function parseDevnetArgs(argv: string[]): DevnetArgs {
  const args: DevnetArgs = { out: DEFAULT_DEPLOYMENT_FILE, help: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    const positiveInt = (text: string): number => {
      const n = Number(text);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} expects a positive integer, got "${text}"`);
      return n;
    };
    if (flag === "--port") args.port = positiveInt(value());
    else if (flag === "--dispute-window") args.disputeWindow = positiveInt(value());
    else if (flag === "--out") args.out = resolve(value());
    else if (flag === "--help" || flag === "-h") args.help = true;
    else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

function describe(deployment: Deployment, out: string): string {
  const c = deployment.contracts;
  const models = deployment.models.map((m) => `  ${m.repo}:${m.file}\n    id ${m.id}`).join("\n");
  return [
    "Fabstir devnet is running.",
    "",
    `RPC URL   ${deployment.rpcUrl}   (chain id ${deployment.chainId})`,
    `Deployment file   ${out}`,
    "",
    "Contracts",
    `  JobMarketplaceWithModels ${c.jobMarketplace}`,
    `  NodeRegistryWithModels   ${c.nodeRegistry}`,
    `  HostEarnings             ${c.hostEarnings}`,
    `  ModelRegistry            ${c.modelRegistry}`,
    `  ProofSystem              ${c.proofSystem}`,
    `  FAB token                ${c.fabToken}`,
    `  USDC token               ${c.usdcToken}`,
    "",
    "Approved models (fake GGUF files, see scripts/devnet/fake-models.ts)",
    models,
    "",
    `Host account     ${deployment.accounts.host.address}   (ETH, 5000 FAB, 10000 USDC; not registered)`,
    `Client account   ${deployment.accounts.client.address}`,
    `Dispute window   ${deployment.disputeWindow} s`,
    "",
    "The accounts' keys are anvil's public development keys; they are in the deployment",
    "file (accounts.*.privateKey). Point fabstir-host at this chain with",
    `  RPC_URL=${deployment.rpcUrl} CHAIN_ID=${deployment.chainId}`,
    "and the contract addresses above. Press Ctrl-C to stop.",
  ].join("\n");
}

async function main(): Promise<number> {
  let args: DevnetArgs;
  try {
    args = parseDevnetArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }

  const anvil = await startAnvil({ port: args.port });
  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      rmSync(args.out, { force: true });
      await anvil.stop();
    })();
    return stopping;
  };

  try {
    const deployment = await deployFabstir(anvil.rpcUrl, { disputeWindow: args.disputeWindow });
    mkdirSync(dirname(args.out), { recursive: true });
    const tmp = `${args.out}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(deployment, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, args.out);
    console.log(describe(deployment, args.out));
  } catch (error) {
    await shutdown();
    console.error(`devnet failed to start: ${(error as Error).message}`);
    return 1;
  }

  await new Promise<void>((resolveStop) => {
    const onSignal = () => resolveStop();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    // anvil dying on its own ends the devnet too.
    anvil.process.once("exit", onSignal);
  });
  console.log("\nStopping the devnet...");
  await shutdown();
  return 0;
}

if (import.meta.main) {
  process.exit(await main());
}
