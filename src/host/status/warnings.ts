/** What on the status screen needs attention, most serious first. Pure: facts in, warnings out. */
import { formatAmount } from "../ledger/amounts.ts";
import type { NodeProcessStatus, RegistrationStatus, SlashRecord, StatusWarning } from "./types.ts";
import { KEYLESS_NODE_HINT, KEYLESS_NODE_WARNING } from "../../node/facts/node-behaviour.ts";

export interface WarningFacts {
  networkLabel: string;
  registration: RegistrationStatus | null;
  /** ETH balance and the cost of one proof now, both in wei. */
  ethBalance: bigint | null;
  proofCostWei: bigint | null;
  minEthProofs: number;
  slashes: SlashRecord[];
  node: NodeProcessStatus;
  /** node.signer: "cli" runs the node keyless. */
  signer?: "node" | "cli";
}

const warn = (kind: StatusWarning["kind"], severity: StatusWarning["severity"], message: string, hint: string | null = null): StatusWarning => ({
  kind,
  severity,
  message,
  hint,
});

export function statusWarnings(facts: WarningFacts): StatusWarning[] {
  const out: StatusWarning[] = [];
  const reg = facts.registration;
  for (const slash of [...facts.slashes].reverse()) {
    if (slash.kind === "auto-unregistered") {
      out.push(
        warn(
          "auto-unregistered",
          "warning",
          `Unregistered automatically at block ${slash.block}: the stake fell below the floor after a slash (${slash.reason}); ${formatAmount("fab", BigInt(slash.remaining.raw))} was returned.`,
          "Try: fabstir-host register (it needs 1000 FAB again)",
        ),
      );
    } else {
      out.push(
        warn(
          "slashed",
          "warning",
          `Stake slashed by ${formatAmount("fab", BigInt(slash.amount.raw))} at block ${slash.block} (${slash.reason}); ${formatAmount("fab", BigInt(slash.remaining.raw))} left staked.`,
          "Try: fabstir-host stake add <FAB> to restore the stake",
        ),
      );
    }
  }
  if (reg && !reg.registered) {
    out.push(
      warn(
        "not-registered",
        "warning",
        `This address is not registered on ${facts.networkLabel}: clients cannot find this host.`,
        "Try: fabstir-host register",
      ),
    );
  } else if (reg) {
    if (!reg.active) out.push(warn("inactive", "warning", "Registered but not active: clients are not routed here.", "Try: fabstir-host register"));
    if (BigInt(reg.stake.raw) < BigInt(reg.minStake.raw)) {
      out.push(
        warn(
          "stake-below-minimum",
          "warning",
          `Stake ${formatAmount("fab", BigInt(reg.stake.raw))} is below the minimum of ${formatAmount("fab", BigInt(reg.minStake.raw))}.`,
          "Try: fabstir-host stake add <FAB>",
        ),
      );
    }
    for (const model of reg.models) {
      const missing = (["eth", "usdc"] as const).filter((token) => model.prices[token] === null).map((t) => t.toUpperCase());
      if (missing.length === 0) continue;
      out.push(
        warn(
          "unpriced-model",
          "warning",
          `${model.name ?? model.id} has no ${missing.join(" or ")} price: sessions paying in ${missing.length > 1 ? "them" : "it"} are refused on chain.`,
          `Try: fabstir-host pricing set ${model.name ?? model.id} …`,
        ),
      );
    }
    const low = lowGas(facts);
    if (low) out.push(low);
  }
  if (facts.node.status === "stale") {
    out.push(
      warn("host-stale", "warning", `The host process is gone (${facts.node.reason ?? "it stopped without cleaning up"}).`, "Try: fabstir-host start --daemon"),
    );
  } else if (facts.node.status === "not-running" && reg?.registered && reg.active) {
    out.push(warn("host-stopped", "info", "Registered, but no host process runs here: sessions routed to this host fail.", "Try: fabstir-host start --daemon"));
  }
  if (facts.signer === "cli") out.push(warn("keyless-node", "warning", KEYLESS_NODE_WARNING, KEYLESS_NODE_HINT));
  return out;
}

function lowGas(facts: WarningFacts): StatusWarning | null {
  if (facts.ethBalance === null || facts.proofCostWei === null || facts.proofCostWei === 0n) return null;
  const needed = facts.proofCostWei * BigInt(facts.minEthProofs);
  if (facts.ethBalance >= needed) return null;
  const left = facts.ethBalance / facts.proofCostWei;
  return warn(
    "low-gas",
    "warning",
    `Low gas: ${formatAmount("eth", facts.ethBalance)} pays for about ${left} more proofs at current fees; keep at least ${formatAmount("eth", needed)} (${facts.minEthProofs} proofs).`,
    "Try: send ETH to the host address (fabstir-host wallet address)",
  );
}
