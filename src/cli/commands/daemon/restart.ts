import { Command, Option } from "clipanion";
import * as t from "typanion";
import { KeyCommand } from "../../key-commands.ts";
import { note, writeResult } from "../../output.ts";
import { restartHost } from "../../../daemon/restart.ts";
import { renderStop } from "./stop.ts";

export class RestartCommand extends KeyCommand {
  static override paths = [["restart"]];

  static override usage = Command.Usage({
    category: "Running",
    description: "Restart the running host",
    details: `
      Checks the configuration, stops the host (as \`stop\` does), and starts it again in the background with the configuration as it is now. Use it after changing node settings (ports, model, node build), which a reload (SIGHUP) does not apply. Starts the host if none was running.
    `,
    examples: [
      ["Restart", "$0 restart"],
      ["Keystore password from a file", "$0 restart --password-file ./pw.txt"],
    ],
  });

  timeout = Option.String("--timeout", "60", {
    description: "Seconds to wait for a clean stop before killing",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 3600)]),
  });
  startupTimeout = Option.String("--startup-timeout", {
    description: "Seconds the node may take to load its model (default 180)",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 86_400)]),
  });

  async run(): Promise<void> {
    const context = this.context;
    note(context, "Restarting the host…");
    const result = await restartHost(context, {
      stopTimeoutMs: this.timeout * 1000,
      passwordFile: this.passwordFile,
      startupTimeoutMs: this.startupTimeout ? this.startupTimeout * 1000 : undefined,
      logger: context.logger,
    });
    writeResult(context, result, () =>
      [
        renderStop(result.stopped),
        `Host running in the background (pid ${result.started.pid}; node pid ${result.started.nodePid} on 127.0.0.1:${result.started.nodePort}).`,
      ].join("\n"),
    );
  }
}
