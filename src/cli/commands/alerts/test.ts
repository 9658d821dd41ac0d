import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderFields } from "../../table.ts";
import { opsConfigFor } from "../../../ops/ops-config.ts";
import { sendTestAlert } from "../../../ops/alerts/test-alert.ts";
import { HostError } from "../../../errors/host-error.ts";
import { OpsErrors } from "../../../errors/codes/ops.ts";

export class AlertsTestCommand extends HostCommand {
  static override paths = [["alerts", "test"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Send a test alert",
    details: `
      Sends one alert to alerts.webhookUrl in its format (json, slack, discord or telegram) and reports the HTTP
      answer. Exits 1 when the webhook does not accept it. Set up with
      \`config set alerts.webhookUrl …\` and \`config set alerts.format slack\` (Telegram also needs alerts.telegramChatId).
    `,
    examples: [
      ["Send a test alert", "$0 alerts test"],
      ["As JSON", "$0 alerts test --json"],
    ],
  });

  async run(): Promise<number | void> {
    const context = this.context;
    const config = await opsConfigFor(context);
    const result = await sendTestAlert({ config, fetch: context.fetch, now: context.clock.now(), logger: context.logger, build: context.build });
    if (!result.delivered) {
      const answer = result.status !== null ? `answered ${result.status} ${result.statusText}`.trim() : `did not answer (${result.error})`;
      throw new HostError(OpsErrors.ALERTS_DELIVERY_FAILED, `The ${config.alerts.format} webhook at ${result.target} ${answer}.`, {
        details: { status: result.status, body: result.body, target: result.target, format: config.alerts.format },
      });
    }
    writeResult(context, { format: config.alerts.format, ...result }, () =>
      renderFields([
        ["Sent to", `${result.target} (${config.alerts.format})`],
        ["Answer", `${result.status} ${result.statusText}`.trim()],
        ...(result.body ? ([["Body", result.body.slice(0, 200)]] as [string, string][]) : []),
      ]),
    );
  }
}
