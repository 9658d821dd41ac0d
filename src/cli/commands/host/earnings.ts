import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeOut, writeResult } from "../../output.ts";
import { openHost } from "../../../host/operation/connect.ts";
import { netEarningsReport } from "../../../economics/net-report.ts";
import { renderNet, withNetColumns } from "../../render/net.ts";
import { configuredModelNames } from "../../../economics/model-names.ts";
import { renderEarnings, renderEarningsCsv } from "../../render/earnings.ts";
import { parseSince } from "../../../host/ledger/since.ts";

export class EarningsCommand extends HostCommand {
  static override paths = [["earnings"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Show the earnings ledger",
    details: `
      Per session and per token: tokens proved, the net amount credited to the host (after the network fee), and withdrawals, with totals per token (ETH to 18 decimals, USDC to 6). Each session says how it was opened (direct, from the client's deposit, or by a client's delegate; the payer is the client either way) and how it was billed: "tokens" (the proven tokens), "minimum" (only the session's proof interval, the least a proven session pays) or "early cancel" (the client ended it before any proof; the host is credited the marketplace's minimum-tokens fee, with no network fee taken). Beside them, the gas the host paid (every transaction it sent, the node's proofs and settlements included, L1 data fee counted) and the net: per session, per model, per token and in total. USDC and ETH are added up only at the rate in economics.ethUsd. The ledger is rebuilt from chain events (SessionJobCreated, SessionCreatedByDepositor, SessionCreatedByDelegate, ProofSubmitted, SessionCompleted, SessionTimedOut, EarningsCredited, EarningsWithdrawn) and cached under state/ledger, so later runs only read the blocks since the last one.

      --since takes a date (2026-01-31) or a duration back from now (12h, 7d, 2w). Never asks for a password.
    `,
    examples: [
      ["Show earnings", "$0 earnings"],
      ["The last 7 days", "$0 earnings --since 7d"],
      ["Export as CSV", "$0 earnings --csv > earnings.csv"],
    ],
  });

  since = Option.String("--since", { description: "Only sessions and withdrawals from this date or duration on (2026-01-31, 7d)" });
  csv = Option.Boolean("--csv", false, { description: "Print CSV (one row per session and per withdrawal)" });

  async run(): Promise<number | void> {
    const context = this.context;
    const since = this.since === undefined ? null : parseSince(this.since, context.clock.now());
    const host = await openHost(context);
    try {
      const ethUsd = host.config.economics?.ethUsd ?? null;
      const modelNames = configuredModelNames(host.config.models);
      const report = await netEarningsReport({
        chain: host.chain,
        address: host.address,
        stateDir: context.paths.stateDir,
        since,
        logger: context.logger,
        clock: context.clock,
        ethUsd,
        modelNames,
      });
      if (this.csv && !context.output.json) {
        writeOut(context, withNetColumns(renderEarningsCsv(report), report.net));
        return 0;
      }
      writeResult(context, report, () => `${renderEarnings(report)}\n${renderNet(report.net)}`);
    } finally {
      host.close();
    }
  }
}
