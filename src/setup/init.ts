/**
 * `init`: the first thing an operator runs. Interactive on a terminal, fully scriptable with flags and --yes, and
 * idempotent: on a configured host it proposes the current values and writes nothing unless something changed and the
 * operator agreed.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { HostContext } from "../context.ts";
import { loadConfig, updateConfig } from "../config/store.ts";
import type { HostConfig } from "../config/types.ts";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";
import { PriceFormatError, checkBounds, toContractPrice } from "../host/pricing/units.ts";
import { planInit, type Change, type InitAnswers } from "./init-plan.ts";
import { askInitQuestions } from "./init-wizard.ts";
import { ensureWallet, type WalletStepOptions } from "./wallet-step.ts";

export interface InitOptions {
  yes: boolean;
  answers: InitAnswers;
  wallet: WalletStepOptions;
  progress: (line: string) => void;
}

export interface InitResult {
  configFile: string;
  changes: Change[];
  wallet: { address: string; backend: string; created: boolean; imported: boolean } | null;
  /** Who signs proofs from now on ("cli": a keyless node, which refuses encrypted sessions). */
  signer: "node" | "cli";
}

export async function runInit(context: HostContext, options: InitOptions): Promise<InitResult> {
  const loaded = await loadConfig(context, { strict: false });
  const current = loaded.config;
  const interactive = context.isTTY.stdin && !options.yes;
  if (!interactive && !options.yes) {
    throw new HostError(CoreErrors.NOT_INTERACTIVE, "init asks questions, and there is no terminal to ask on.", {
      hint: "Try: fabstir-host init --yes with the settings as flags (see fabstir-host init --help).",
    });
  }
  checkPrices(options.answers);
  const answers = interactive ? await askInitQuestions(context.prompter, current, options.answers) : options.answers;
  checkPrices(answers);
  fillFromDeployment(answers, context.cwd);
  const { next, changes } = planInit(current, answers);

  const wallet = await ensureWallet(context, current, { ...options.wallet, yes: options.yes }, options.progress);
  if (wallet && JSON.stringify(current.wallet) !== JSON.stringify(wallet.ref)) {
    next.wallet = wallet.ref;
    changes.push({ key: "wallet", from: current.wallet, to: wallet.ref });
  }

  if (changes.length > 0) {
    if (interactive && loaded.fileExists) {
      const summary = changes.map((c) => `  ${c.key}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join("\n");
      const ok = await context.prompter.confirm(`Save these changes?\n${summary}\n`, { default: true });
      if (!ok) throw new HostError(CoreErrors.CANCELLED, "Cancelled; the configuration was not changed.");
    }
    await updateConfig(context, (config) => copyInto(config, next), { reason: "init" });
  } else if (!loaded.fileExists) {
    // A first run that keeps every default still leaves a config file behind, so later commands know the host is set up.
    await updateConfig(context, (config) => copyInto(config, next), { reason: "init" });
  }
  return {
    configFile: context.paths.configFile,
    changes,
    wallet: wallet ? { ...wallet.ref, created: wallet.created, imported: wallet.imported } : null,
    signer: next.node.signer,
  };
}

function copyInto(target: HostConfig, source: HostConfig): void {
  for (const key of Object.keys(source) as (keyof HostConfig)[]) (target as unknown as Record<string, unknown>)[key] = structuredClone(source[key]);
}

/** A devnet deployment file names its RPC and chain id; use them unless the operator gave an RPC. */
function fillFromDeployment(answers: InitAnswers, cwd: string): void {
  if (answers.network !== "local" || !answers.deploymentFile || answers.rpcUrls?.length) return;
  const file = resolve(cwd, answers.deploymentFile);
  answers.deploymentFile = file;
  if (!existsSync(file)) return;
  try {
    const deployment = JSON.parse(readFileSync(file, "utf8")) as { rpcUrl?: string };
    if (deployment.rpcUrl) answers.rpcUrls = [deployment.rpcUrl];
  } catch {
    // A broken deployment file is reported by the chain layer when it is used; init only borrows its RPC URL.
  }
}

function checkPrices(answers: InitAnswers): void {
  for (const [token, value] of [
    ["usdc", answers.priceUsdc],
    ["eth", answers.priceEth],
  ] as const) {
    if (value === undefined) continue;
    let problem: string | undefined;
    try {
      problem = checkBounds(token, toContractPrice(token, value));
    } catch (error) {
      if (!(error instanceof PriceFormatError)) throw error;
      problem = error.message;
    }
    if (problem) {
      throw new HostError(CoreErrors.CONFIG_INVALID, `--price-${token}: ${problem}.`, {
        hint:
          token === "usdc" ? "Try: a price like --price-usdc 5 ($5 per million tokens)." : "Try: a price like --price-eth 0.000002 (ETH per thousand tokens).",
      });
    }
  }
}
