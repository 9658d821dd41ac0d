import { Command, Option } from "clipanion";
import * as t from "typanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { stopHost, type StopResult } from "../../../daemon/stop.ts";

export class StopCommand extends HostCommand {
  static override paths = [["stop"]];

  static override usage = Command.Usage({
    category: "Running",
    description: "Stop the running host",
    details: `
      Finds the host by its PID file and sends it SIGTERM: it drains (in-flight proofs finish), stops the node and exits. If it has not stopped after \`--timeout\` seconds it is killed, together with its node.

      A PID file left by a host that died (a crash, a kill, a reboot) is removed, and a node it left running is stopped. Stopping when nothing runs is not an error.
    `,
    examples: [
      ["Stop", "$0 stop"],
      ["Give the drain two minutes", "$0 stop --timeout 120"],
    ],
  });

  timeout = Option.String("--timeout", "60", {
    description: "Seconds to wait for a clean stop before killing",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 3600)]),
  });

  async run(): Promise<void> {
    const context = this.context;
    const result = await stopHost(context.paths, { timeoutMs: this.timeout * 1000, logger: context.logger });
    writeResult(context, result, () => renderStop(result));
  }
}

export function renderStop(result: StopResult): string {
  if (result.found === "not-running") return "No host is running.";
  if (result.found === "stale") {
    const node = result.orphanNodePid ? `; stopped the node it left running (pid ${result.orphanNodePid})` : "";
    return `Removed a stale PID file (${result.staleReason})${node}.`;
  }
  if (result.forced)
    return `The host (pid ${result.pid}) did not stop in time and was killed${result.orphanNodePid ? `, with its node (pid ${result.orphanNodePid})` : ""}.`;
  return `Host stopped (pid ${result.pid}).`;
}
