import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeOut, writeResult } from "../../output.ts";
import { styleFor } from "../../style.ts";
import { openHost } from "../../../host/operation/connect.ts";
import { renderStatus } from "../../render/status.ts";
import { collectStatus, type StatusDeps } from "../../../host/status/service.ts";
import { watchInterval, watchLoop } from "../../../host/status/watch.ts";

export class StatusCommand extends HostCommand {
  static override paths = [["status"]];

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Show this host at a glance",
    details: `
      Registration (active, stake, URL, models and their prices per token in human units), wallet balances (ETH, FAB, USDC), earnings waiting in HostEarnings, sessions (active, completed, timed out; tokens and proofs), the host process and its uptime, and warnings: low gas, a served model without a price, slashing, not registered, wrong network. Never asks for a password.

      A cold run reads the chain in two JSON-RPC batches, a warm one in one. Exit code 1 when the chain could not be read (wrong network, RPC down); the rest of the screen is still shown.

      --watch [seconds] refreshes every 5 seconds (or the number given) until Ctrl-C: it redraws a terminal, and prints one snapshot per interval into a pipe (one JSON line each with --json).
    `,
    examples: [
      ["Show status", "$0 status"],
      ["Refresh every 5 seconds", "$0 status --watch"],
      ["Refresh every 30 seconds", "$0 status --watch 30"],
      ["For scripts", "$0 status --json"],
    ],
  });

  watch = Option.String("--watch", { tolerateBoolean: true, description: "Refresh every N seconds (default 5) until Ctrl-C" });
  // `--watch 10` arrives here: clipanion binds an optional option value only in the `--watch=10` form.
  watchSeconds = Option.String({ required: false, name: "seconds" });

  async run(): Promise<number | void> {
    const context = this.context;
    const interval = watchInterval(this.watch, this.watchSeconds);
    const host = await openHost(context, { skipVerify: true }); // the network check rides in status's own first batch
    try {
      const deps: StatusDeps = {
        config: host.config,
        chain: host.chain,
        address: host.address,
        paths: context.paths,
        now: () => context.clock.now(),
        logger: context.logger,
      };
      const style = styleFor(context.output);
      if (interval === null) {
        const { report, exitCode } = await collectStatus(deps);
        writeResult(context, report, () => renderStatus(report, style));
        return exitCode;
      }

      const redraw = context.isTTY.stdout && !context.output.json;
      const controller = new AbortController();
      const given = context.services.interrupt;
      const stop = () => controller.abort();
      if (given) given.addEventListener("abort", stop, { once: true });
      else process.once("SIGINT", stop);
      let exitCode: number = 0;
      try {
        await watchLoop({
          intervalSeconds: interval,
          signal: controller.signal,
          clock: context.clock,
          tick: async () => {
            const outcome = await collectStatus(deps);
            exitCode = outcome.exitCode;
            if (redraw) {
              const footer = style("dim", `Every ${interval} s · updated ${new Date(context.clock.now()).toLocaleTimeString()} · Ctrl-C to stop`);
              writeOut(context, `\u001b[H\u001b[2J${renderStatus(outcome.report, style)}\n${footer}\n`);
            } else if (context.output.json) {
              writeResult(context, outcome.report, () => "");
            } else {
              writeOut(context, `${renderStatus(outcome.report, style)}\n`);
            }
          },
        });
      } finally {
        process.removeListener("SIGINT", stop);
      }
      return exitCode;
    } finally {
      host.close();
    }
  }
}
