import { Command, Option } from "clipanion";
import { reportWarning } from "../../../util/report.ts";
import { Warnings } from "../../../errors/codes/warnings.ts";
import { ConfirmCommand } from "../../key-commands.ts";
import { note, writeResult } from "../../output.ts";
import { confirmOrCancel } from "../../confirm.ts";
import { HostError } from "../../../errors/host-error.ts";
import { CoreErrors } from "../../../errors/codes/core.ts";
import { createProgressReporter } from "../../../node/install/progress.ts";
import { selfUpdate } from "../../../self-update/self-update.ts";
import { rollbackUpdate } from "../../../self-update/rollback.ts";
import { checkForUpdate } from "../../../self-update/check.ts";
import { spawnUpgradeRunner } from "../../../self-update/package-manager.ts";
import type { UpdateDeps } from "../../../self-update/types.ts";
import { renderCheck, renderUpdate } from "../../../self-update/render.ts";

export class SelfUpdateCommand extends ConfirmCommand {
  static override paths = [["self-update"]];

  static override usage = Command.Usage({
    category: "Setup",
    description: "Update fabstir-host",
    details:
      "Updates through the channel fabstir-host was installed by. An install-script binary is replaced in place: the release's file for this platform is downloaded with SHA256SUMS, verified, started once with --version, then renamed over the installed binary, which is kept as `<binary>.previous` for --rollback. While a host runs from the binary the new one is staged instead, and the host switches to it when no session is active (--now replaces it at once). Homebrew and winget installs are upgraded with `brew upgrade` / `winget upgrade`. Configuration and keys are never touched. Releases come from GitHub unless FABSTIR_UPDATE_BASE names a mirror.",
    examples: [
      ["Update to the latest version", "$0 self-update"],
      ["Only check for a newer version", "$0 self-update --check"],
      ["Install a specific version", "$0 self-update --version 1.2.3"],
      ["Show what would happen", "$0 self-update --dry-run"],
      ["Go back to the previous binary", "$0 self-update --rollback"],
    ],
  });

  check = Option.Boolean("--check", false, { description: "Only report whether a newer version exists" });
  version = Option.String("--version", { description: "Install this version (X.Y.Z) instead of the latest; older versions are allowed" });
  rollback = Option.Boolean("--rollback", false, { description: "Swap back to the binary the last update replaced" });
  dryRun = Option.Boolean("--dry-run", false, { description: "Print what would be done (or the package-manager command) and change nothing" });
  now = Option.Boolean("--now", false, { description: "Replace the binary even while a host is running from it" });

  async run(): Promise<void> {
    const context = this.context;
    if (this.rollback && (this.version !== undefined || this.check)) {
      throw new HostError(CoreErrors.USAGE, "--rollback cannot be combined with --version or --check.", { hint: "Try: fabstir-host self-update --rollback" });
    }
    const progress = createProgressReporter(context, "fabstir-host");
    const deps: UpdateDeps = {
      paths: context.paths,
      env: context.env,
      fetch: context.fetch,
      spawn: context.spawn,
      currentVersion: context.build.version,
      execPath: context.services.selfUpdate?.execPath ?? process.execPath,
      runner: context.services.selfUpdate?.runner ?? spawnUpgradeRunner(context.spawn, context.stderr),
      channelFs: context.services.selfUpdate?.channelFs,
      platformFacts: context.services.selfUpdate?.platformFacts,
      now: () => new Date(context.clock.now()),
      onStep: (message) => note(context, message),
      onProgress: progress.onProgress,
      confirm: (question) => confirmOrCancel(context, question, this.yes),
      userAgent: `fabstir-host/${context.build.version}`,
    };
    if (this.now && !this.rollback && !this.check && !this.dryRun) {
      reportWarning(
        context,
        Warnings.UPDATE_WHILE_RUNNING,
        "--now replaces the binary even if a host is running from it; that host keeps the old version until it restarts.",
      );
    }
    try {
      if (this.check) {
        const report = await checkForUpdate(deps);
        writeResult(context, report, () => renderCheck(report));
        return;
      }
      const request = { dryRun: this.dryRun, now: this.now };
      const result = this.rollback ? await rollbackUpdate(deps, request) : await selfUpdate(deps, { ...request, version: this.version });
      writeResult(context, result, () => renderUpdate(result));
    } finally {
      progress.stop();
    }
  }
}
