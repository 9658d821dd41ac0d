/**
 * How host operations talk to a person: the plan before anything is signed, a line per confirmed transaction, the
 * confirmation question, and the shapes --json reports. Plain strings and the context's streams and prompter; no
 * command-line parsing here.
 */
import { formatUnits } from "ethers";
import type { HostContext } from "../../context.ts";
import { HostError } from "../../errors/host-error.ts";
import { CoreErrors } from "../../errors/codes/core.ts";
import { redact } from "../../util/redact.ts";
import type { OperationHooks, SentTx } from "./execute.ts";
import type { OperationPlan, PlannedTx } from "./tx-plan.ts";

/** A line for a person on stderr; silent with --quiet and --json. */
export function tell(context: HostContext, text: string): void {
  if (context.output.quiet || context.output.json) return;
  context.stderr.write(redact(text.endsWith("\n") ? text : `${text}\n`));
}

export function renderPlan(plan: OperationPlan): string {
  const lines = [`Plan for ${plan.address} on ${plan.network.label} (chain id ${plan.network.chainId}):`];
  plan.txs.forEach((tx, index) => lines.push(`  ${index + 1}. ${tx.description}`));
  lines.push(
    `Estimated gas: ${plan.gas.gasUnits.toLocaleString("en-US")} gas at up to ${formatGwei(plan.gas.maxFeePerGasWei)} gwei ≈ ${trimEth(plan.gas.costWei)} ETH at most`,
  );
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  for (const warning of plan.warnings) lines.push(`Warning: ${warning}`);
  return lines.join("\n");
}

export function renderSent(sent: readonly SentTx[]): string {
  if (sent.length === 0) return "";
  const lines = ["Transactions:"];
  for (const tx of sent) lines.push(`  ${tx.description}: ${tx.explorerUrl ?? tx.hash}${tx.reused ? " (done by an earlier run)" : ""}`);
  return lines.join("\n");
}

/**
 * The plan goes to stderr. When a question follows it is shown even with --json or --quiet (stdout stays one JSON
 * envelope): nobody should be asked to approve transactions they cannot see.
 */
export function showPlan(context: HostContext, plan: OperationPlan, yes: boolean): void {
  const text = renderPlan(plan);
  if (!yes && context.isTTY.stdin) context.stderr.write(redact(`${text}\n`));
  else tell(context, text);
}

/** Yes/no on a terminal; --yes skips; no terminal and no --yes refuses, naming the flag. */
export async function askToProceed(context: HostContext, question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!context.isTTY.stdin) {
    throw new HostError(CoreErrors.NOT_INTERACTIVE, "This command sends transactions and asks first, and there is no terminal to ask on. Nothing was sent.", {
      hint: "Try: run it again with --yes to confirm in scripts.",
    });
  }
  if (!(await context.prompter.confirm(question, { default: false }))) {
    throw new HostError(CoreErrors.CANCELLED, "Cancelled; nothing was sent.");
  }
}

/** The usual hooks: show the plan, ask (or take --yes), report each confirmed transaction. */
export function operationHooks(context: HostContext, options: { yes: boolean; question?: string }): OperationHooks {
  return {
    confirm: async (plan) => {
      showPlan(context, plan, options.yes);
      await askToProceed(
        context,
        options.question ?? `Send ${plan.txs.length === 1 ? "this transaction" : `these ${plan.txs.length} transactions`}?`,
        options.yes,
      );
    },
    progress: (tx) => tell(context, `  ✓ ${tx.description}: ${tx.hash}${tx.reused ? " (done by an earlier run)" : ""}`),
    note: (text) => tell(context, text),
  };
}

/** A plan for --json: everything but the calldata. */
export function planJson(plan: OperationPlan): Record<string, unknown> {
  return { ...plan, txs: plan.txs.map(txJson) };
}

function txJson(tx: PlannedTx): Record<string, unknown> {
  return { kind: tx.kind, key: tx.key, description: tx.description, to: tx.to, gasGuess: tx.gasGuess };
}

function formatGwei(wei: bigint): string {
  return trim(formatUnits(wei, "gwei"));
}

function trimEth(wei: bigint): string {
  return trim(formatUnits(wei, 18));
}

function trim(text: string): string {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}
