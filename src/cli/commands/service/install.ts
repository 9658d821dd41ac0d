import { Command, Option } from "clipanion";
import * as t from "typanion";
import { resolve } from "node:path";
import { KeyCommand } from "../../key-commands.ts";
import { writeResult } from "../../output.ts";
import { reportWarning } from "../../../util/report.ts";
import { pathsFor } from "../../../config/paths.ts";
import { defaultExecStart, installService, serviceHostFor } from "../../../daemon/service/service-manager.ts";
import { scopeFrom, SYSTEM_HOME, unitDirFrom } from "../../../daemon/service/service-options.ts";

export class ServiceInstallCommand extends KeyCommand {
  static override paths = [["service", "install"]];

  static override usage = Command.Usage({
    category: "Operations",
    description: "Install a system service for the host",
    details: `
      Linux: a systemd unit running \`fabstir-host start\` in the foreground, restarted on failure, with sandboxing
      that keeps the GPU reachable. As root (or with --system) it is system-wide, runs as a dedicated \`fabstir\` user
      with its state in ${SYSTEM_HOME} (or --config-dir), and gets the keystore password as a systemd credential
      from /etc/fabstir-host/password (--password-file copies one there). Otherwise it is a per-user unit.
      macOS: a LaunchAgent. Windows: a scheduled task.

      Your own changes are kept: settings go to a drop-in file (fabstir-host.service.d/10-fabstir.conf), and a unit
      file edited by hand is left alone, with a warning. Running it again updates what it installed.
    `,
    examples: [
      ["Install for this user", "$0 service install"],
      ["System-wide, with the keystore password", "sudo $0 service install --system --password-file ./password.txt"],
      ["Install without starting", "$0 service install --no-start"],
    ],
  });

  system = Option.Boolean("--system", false, { description: "System-wide service running as the fabstir user (needs root)" });
  user = Option.Boolean("--user", false, { description: "Per-user service (the default when not root)" });
  start = Option.Boolean("--start", true, { description: "Start it now (--no-start to only enable it)" });
  restartSec = Option.String("--restart-sec", "5", { description: "Seconds to wait before a restart after a failure", validator: t.isNumber(), hidden: true });
  unitDir = Option.String("--unit-dir", { hidden: true });
  credentialFile = Option.String("--credential-file", { hidden: true });

  async run(): Promise<number | void> {
    const context = this.context;
    const host = serviceHostFor(context);
    const scope = scopeFrom(this.system, this.user) ?? (host.isRoot ? "system" : "user");
    // A system service keeps its state outside any person's home unless told otherwise.
    const home = scope === "system" && host.platform === "systemd" && !this.configDir && !context.env.FABSTIR_HOME ? SYSTEM_HOME : context.paths.home;
    const result = await installService(host, {
      scope,
      unitDir: unitDirFrom(context, this.unitDir),
      home,
      logsDir: pathsFor(home).logsDir,
      execStart: context.services.serviceExecStart ?? defaultExecStart(),
      passwordFile: this.passwordFile ? resolve(context.cwd, this.passwordFile) : undefined,
      credentialFile: this.credentialFile,
      restartSec: this.restartSec,
      start: this.start,
    });
    for (const warning of result.warnings) reportWarning(context, warning, warning.message);
    writeResult(context, result, () => {
      const lines = [`Installed the ${result.platform} ${result.scope} service${result.user ? `, running as ${result.user}` : ""}.`];
      for (const file of result.files) lines.push(`  ${file.action.padEnd(11)} ${file.path}`);
      lines.push(`State directory: ${result.home}`);
      if (result.started) {
        const follow =
          result.platform === "systemd"
            ? `journalctl ${result.scope === "user" ? "--user " : ""}-u fabstir-host -f, or fabstir-host logs -f`
            : "fabstir-host logs -f";
        lines.push(`Started. Follow it with: ${follow}`);
      } else lines.push("Enabled; it starts at the next boot (or now with systemctl start fabstir-host).");
      return lines.join("\n");
    });
  }
}
