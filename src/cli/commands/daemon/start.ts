import { Command, Option } from "clipanion";
import * as t from "typanion";
import { KeyCommand } from "../../key-commands.ts";
import { note, writeResult } from "../../output.ts";
import { renderFields } from "../../table.ts";
import { startHost, type StartResult } from "../../../daemon/start.ts";

export class StartCommand extends KeyCommand {
  static override paths = [["start"]];

  static override usage = Command.Usage({
    category: "Running",
    description: "Start the host (node, session front, proofs)",
    details: `
      Starts the inference node under supervision (restarted on crashes and hangs, with backoff; a crash loop stops the retries and marks the host unhealthy), the public session front, and proof submission.

      In the foreground by default: Ctrl-C drains in-flight work, stops the node and exits. \`--daemon\` detaches: it returns once the node is ready, logs to files, and is controlled with \`stop\`, \`restart\` and signals (SIGTERM drains and stops, SIGHUP reloads the configuration).

      Only one host runs per config directory. When node.signer is "node" the host key is unlocked at start (keychain, \`--password-file\` or a prompt) and handed to the node through its environment only: never argv, a file or a log, but readable by your user and root in /proc/<node pid>/environ while the node runs. With node.signer "cli" the node runs without the key.
    `,
    examples: [
      ["Run in the foreground", "$0 start"],
      ["Run in the background", "$0 start --daemon"],
      ["Background, keystore password from a file", "$0 start --daemon --password-file ./pw.txt"],
      ["Allow a large model 10 minutes to load", "$0 start --startup-timeout 600"],
    ],
  });

  daemon = Option.Boolean("--daemon,-d", false, { description: "Run in the background and return once the node is ready" });
  startupTimeout = Option.String("--startup-timeout", {
    description: "Seconds the node may take to load its model (default 180)",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 86_400)]),
  });
  // The detached process itself (see src/daemon/detach.ts); not for people.
  daemonChild = Option.Boolean("--daemon-child", false, { hidden: true });

  async run(): Promise<number | void> {
    const context = this.context;
    const mode = this.daemonChild ? "daemon-child" : this.daemon ? "daemon" : "foreground";
    if (mode === "daemon") note(context, "Starting the host in the background…");
    const result = await startHost(context, {
      mode,
      passwordFile: this.passwordFile,
      startupTimeoutMs: this.startupTimeout ? this.startupTimeout * 1000 : undefined,
      onReady: (info) =>
        note(
          context,
          `Host running: node pid ${info.nodePid} on 127.0.0.1:${info.nodePort}, ready in ${(info.startupMs / 1000).toFixed(1)} s. Press Ctrl-C to stop.`,
        ),
    });
    if (mode === "daemon-child") return;
    writeResult(context, result, () => render(result));
  }
}

function render(result: StartResult): string {
  if (result.mode === "foreground") return `Host stopped (${result.stoppedBy ?? "stop"}).`;
  return [
    `Host running in the background (pid ${result.pid}).`,
    renderFields([
      ["Node", `pid ${result.nodePid}, 127.0.0.1:${result.nodePort}`],
      ["Ready in", `${(result.startupMs / 1000).toFixed(1)} s`],
      ["PID file", result.pidFile],
      ["Node log", result.logs.node],
      ...(result.logs.host ? ([["Host log", result.logs.host]] as [string, string][]) : []),
    ]),
    "Stop it with `fabstir-host stop`; see it with `fabstir-host status`.",
  ].join("\n");
}
