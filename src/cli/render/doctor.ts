/** The doctor report as text: one line per check, then the fixes for what is not green. */
import type { Style } from "../style.ts";
import { renderTable } from "../table.ts";
import type { CheckStatus, DoctorReport } from "../../doctor/types.ts";

const LABEL: Record<CheckStatus, string> = { pass: "PASS", warn: "WARN", fail: "FAIL", skip: "SKIP" };

export function renderDoctorReport(report: DoctorReport, style: Style): string {
  const paint = (status: CheckStatus, text: string) =>
    status === "pass" ? style.ok(text) : status === "warn" ? style.warn(text) : status === "fail" ? style.fail(text) : style("gray", text);
  const rows = report.checks.map((c) => [paint(c.status, LABEL[c.status]), c.title, c.summary]);
  const lines = [renderTable(["STATUS", "CHECK", "RESULT"], rows).trimEnd()];
  const toFix = report.checks.filter((c) => c.fix && (c.status === "fail" || c.status === "warn"));
  if (toFix.length > 0) {
    lines.push("", "How to fix:");
    for (const c of toFix) lines.push(`  ${paint(c.status, LABEL[c.status])} ${c.title}: ${c.fix}`);
  }
  const { pass, warn, fail, skip } = report.counts;
  lines.push("", `${pass} passed, ${warn} warning${warn === 1 ? "" : "s"}, ${fail} failed${skip ? `, ${skip} skipped` : ""}.`);
  return lines.join("\n") + "\n";
}
