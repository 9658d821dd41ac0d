/** The text a person reads after `self-update` (the --json envelope carries the same facts as data). */
import { Warnings } from "../errors/codes/warnings.ts";
import type { UpdateCheck, UpdateResult } from "./types.ts";

const CHANNEL_NAMES: Record<string, string> = {
  script: "the install script",
  homebrew: "Homebrew",
  winget: "winget",
  source: "a source checkout",
  unknown: "an unknown channel",
};

export function renderCheck(report: UpdateCheck): string {
  const lines = report.updateAvailable
    ? [`fabstir-host ${report.latest} is available (you have ${report.current}).${report.date ? ` Released ${report.date}.` : ""}`, `Update: ${report.command}`]
    : [`fabstir-host ${report.current} is up to date (latest: ${report.latest}).`];
  lines.push(`Installed with ${CHANNEL_NAMES[report.channel] ?? report.channel}.`);
  if (report.pending)
    lines.push(`Staged for the running host: ${report.pending.version} (since ${report.pending.stagedAt}); it switches when no session is active.`);
  if (report.updateAvailable && report.notes) lines.push("", report.notes.trim());
  return lines.join("\n");
}

export function renderUpdate(result: UpdateResult): string {
  switch (result.action) {
    case "up-to-date":
      return `fabstir-host ${result.current} is up to date (latest: ${result.latest}).`;
    case "updated": {
      const lines = [
        `Updated fabstir-host ${result.from} → ${result.to} (${result.binary}).`,
        `The replaced binary is kept as ${result.previous}; \`fabstir-host self-update --rollback\` goes back to it.`,
      ];
      if (result.stagingSkipped) lines.push(`It was not staged for the running host because ${result.stagingSkipped}.`);
      if (result.runningHost)
        lines.push(
          `warning ${Warnings.UPDATE_WHILE_RUNNING.code}: the host (pid ${result.runningHost.pid}) still runs ${result.from} until it restarts; restart it when no session is active: fabstir-host restart`,
        );
      if (!result.receiptUpdated)
        lines.push("note: the install receipt could not be updated; `install.sh --uninstall` will treat this binary as changed by hand.");
      return lines.join("\n");
    }
    case "staged":
      return [
        `A host is running from this binary (pid ${result.runningHost.pid}, ${result.runningHost.mode}), so it was not replaced mid-session.`,
        `fabstir-host ${result.to} is downloaded, verified and staged as ${result.next}.`,
        "The host switches to it and restarts itself as soon as no session is active.",
        "To replace it right away instead: fabstir-host self-update --now (the host then keeps the old version until `fabstir-host restart`).",
      ].join("\n");
    case "delegated":
      return result.ran
        ? `fabstir-host was installed with ${CHANNEL_NAMES[result.channel]}; \`${result.command}\` finished.`
        : `fabstir-host was installed with ${CHANNEL_NAMES[result.channel]}; self-update would run: ${result.command}`;
    case "dry-run":
      return [
        `Would change fabstir-host ${result.from} → ${result.to}${result.asset ? ` (${result.asset})` : ""}.`,
        `From: ${result.url}`,
        result.wouldStage
          ? `A host is running from ${result.binary}: the new binary would be staged for it, not swapped in.`
          : `It would replace ${result.binary}, keeping the current binary as ${result.binary}.previous.`,
        "Nothing was changed.",
      ].join("\n");
    case "rolled-back": {
      const lines = [
        `Rolled fabstir-host back ${result.from} → ${result.to} (${result.binary}).`,
        `${result.from} is now kept as ${result.previous}; \`fabstir-host self-update --rollback\` again returns to it.`,
      ];
      if (result.runningHost)
        lines.push(
          `warning ${Warnings.UPDATE_WHILE_RUNNING.code}: the host (pid ${result.runningHost.pid}) still runs ${result.from} until it restarts: fabstir-host restart`,
        );
      if (!result.receiptUpdated) lines.push("note: the install receipt could not be updated.");
      return lines.join("\n");
    }
  }
}
