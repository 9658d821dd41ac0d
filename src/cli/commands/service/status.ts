import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderFields } from "../../table.ts";
import { serviceHostFor, serviceStatus } from "../../../daemon/service/service-manager.ts";
import { scopeFrom, unitDirFrom } from "../../../daemon/service/service-options.ts";

export class ServiceStatusCommand extends HostCommand {
  static override paths = [["service", "status"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Show the system service state",
    details: "Whether the service is installed, enabled and running, its main PID and restart count, and whether its unit file was edited by hand.",
    examples: [
      ["Show service state", "$0 service status"],
      ["As JSON", "$0 service status --json"],
    ],
  });

  system = Option.Boolean("--system", false, { description: "The system-wide service" });
  user = Option.Boolean("--user", false, { description: "The per-user service" });
  unitDir = Option.String("--unit-dir", { hidden: true });

  async run(): Promise<number | void> {
    const context = this.context;
    const status = await serviceStatus(serviceHostFor(context), {
      scope: scopeFrom(this.system, this.user),
      unitDir: unitDirFrom(context, this.unitDir),
      home: context.paths.home,
    });
    const yesNo = (value: boolean | null) => (value === null ? "unknown" : value ? "yes" : "no");
    writeResult(context, status, () => {
      if (!status.installed)
        return `No fabstir-host ${status.scope} service is installed (${status.unitPath}).\nInstall one with: fabstir-host service install`;
      return renderFields([
        ["Service", `${status.platform} (${status.scope})`],
        ["Unit", `${status.unitPath}${status.edited ? " (edited by hand)" : ""}`],
        ["Enabled", yesNo(status.enabled)],
        ["Running", yesNo(status.active)],
        ["State", status.state ?? "unknown"],
        ["Main PID", status.mainPid !== null ? String(status.mainPid) : "-"],
        ["Restarts", status.restarts !== null ? String(status.restarts) : "-"],
        ...(status.since ? ([["Since", status.since]] as [string, string][]) : []),
      ]);
    });
  }
}
