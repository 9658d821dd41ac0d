import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { reportWarning } from "../../../util/report.ts";
import { serviceHostFor, uninstallService } from "../../../daemon/service/service-manager.ts";
import { scopeFrom, unitDirFrom } from "../../../daemon/service/service-options.ts";

export class ServiceUninstallCommand extends HostCommand {
  static override paths = [["service", "uninstall"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Remove the system service",
    details: `
      Stops and disables the service and removes the files \`service install\` wrote. Files you edited by hand are
      kept unless --force. The state directory (wallet, logs, earnings records) and the service user are left in place.
    `,
    examples: [
      ["Remove the service", "$0 service uninstall"],
      ["Remove the system-wide service", "sudo $0 service uninstall --system"],
    ],
  });

  system = Option.Boolean("--system", false, { description: "The system-wide service" });
  user = Option.Boolean("--user", false, { description: "The per-user service" });
  force = Option.Boolean("--force", false, { description: "Also remove unit files edited by hand" });
  unitDir = Option.String("--unit-dir", { hidden: true });

  async run(): Promise<number | void> {
    const context = this.context;
    const host = serviceHostFor(context);
    const result = await uninstallService(host, {
      scope: scopeFrom(this.system, this.user),
      unitDir: unitDirFrom(context, this.unitDir),
      force: this.force,
      home: context.paths.home,
    });
    for (const warning of result.warnings) reportWarning(context, warning, warning.message);
    writeResult(context, result, () =>
      [
        `Removed the ${result.platform} ${result.scope} service.`,
        ...result.removed.map((path) => `  removed  ${path}`),
        ...result.kept.map((path) => `  kept     ${path}`),
      ].join("\n"),
    );
  }
}
