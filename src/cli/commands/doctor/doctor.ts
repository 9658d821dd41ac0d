import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { styleFor } from "../../style.ts";
import { createDoctorContext } from "../../../doctor/context.ts";
import { runDoctor } from "../../../doctor/runner.ts";
import { renderDoctorReport } from "../../render/doctor.ts";

export class DoctorCommand extends HostCommand {
  static override paths = [["doctor"]];

  static override usage = Command.Usage({
    category: "Diagnostics",
    description: "Check everything a host needs",
    details:
      "Checks the GPU and driver, the installed node build against the driver, VRAM against the model, disk space, ports, the public URL, clock skew, the keychain and the checkpoint signer (plus the chain and wallet checks of this build). Prints pass/warn/fail with the fix for each; exits 1 when anything fails. --json prints every check.",
    examples: [
      ["Run all checks", "$0 doctor"],
      ["For a bug report", "$0 doctor --json"],
      ["Only some checks", "$0 doctor --only gpu,ports"],
    ],
  });

  only = Option.String("--only", { description: "Run only these checks (comma-separated ids, e.g. gpu,ports)" });

  async run(): Promise<number> {
    const context = this.context;
    const ctx = await createDoctorContext(context);
    const only = this.only
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const report = await runDoctor(ctx, { only });
    writeResult(context, report, () => renderDoctorReport(report, styleFor(context.output)));
    return report.healthy ? 0 : 1;
  }
}
