import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderTable } from "../../table.ts";
import { loadConfig } from "../../../config/store.ts";
import { listNodeBuilds } from "../../../node/install/manage.ts";
import { currentPlatform, fetchManifest, sortedReleases, configuredManifestUrl } from "../../../node/install/manifest.ts";
import { spawnRunner } from "../../../node/gpu/command-runner.ts";
import { detectGpus } from "../../../node/gpu/detect.ts";
import { chooseVariant } from "../../../node/install/variant.ts";
import { formatBytes } from "../../../node/gpu/system.ts";

export class NodeListCommand extends HostCommand {
  static override paths = [["node", "list"]];

  static override usage = Command.Usage({
    category: "Inference node",
    description: "List installed node builds",
    details:
      "Shows installed versions and variants, and which one the host runs. With --available, lists the versions in the release manifest and the build this machine would get.",
    examples: [
      ["List builds", "$0 node list"],
      ["What can be installed", "$0 node list --available"],
    ],
  });

  available = Option.Boolean("--available", false, { description: "List the versions published in the release manifest" });

  async run(): Promise<void> {
    const context = this.context;
    const { config } = await loadConfig(context);
    const listing = listNodeBuilds(context.paths, config);
    if (!this.available) {
      writeResult(context, listing, () => {
        if (listing.builds.length === 0 && !("path" in listing.active)) return "No node build installed. Run `fabstir-host node install`.";
        const rows = listing.builds.map((b) => [b.inUse ? "*" : "", b.id, b.version, b.variant, b.installedAt.slice(0, 10), b.dir]);
        const head = listing.builds.length ? renderTable(["", "ID", "VERSION", "VARIANT", "INSTALLED", "DIRECTORY"], rows) : "";
        const active =
          "path" in listing.active ? `In use: ${listing.active.id ?? "node.binaryPath"} (${listing.active.path})` : `In use: none (${listing.active.error})`;
        return head + active;
      });
      return;
    }
    const platform = context.services.nodePlatform ?? currentPlatform();
    const manifest = await fetchManifest(context.fetch, configuredManifestUrl(config));
    const gpu = await detectGpus({ runner: spawnRunner(context.spawn) });
    const choice = platform ? chooseVariant(gpu, platform) : null;
    const installed = new Set(listing.builds.map((b) => b.id));
    const releases = sortedReleases(manifest).map((r) => ({
      version: r.version,
      date: r.date,
      notes: r.notes ?? null,
      artifacts: r.artifacts
        .filter((a) => !platform || a.platform === platform)
        .map((a) => ({
          variant: a.variant,
          platform: a.platform,
          size: a.size,
          installed: installed.has(`${r.version}-${a.variant}`),
          recommended: a.variant === choice?.variant,
        })),
    }));
    writeResult(context, { platform, recommended: choice, releases }, () => {
      const rows = releases.flatMap((r) =>
        r.artifacts.map((a) => [r.version, a.variant + (a.recommended ? " (fits this GPU)" : ""), formatBytes(a.size), r.date, a.installed ? "installed" : ""]),
      );
      const lines = [renderTable(["VERSION", "VARIANT", "SIZE", "DATE", ""], rows).trimEnd()];
      if (choice) lines.push("", choice.reason);
      else lines.push("", "No builds are published for this platform.");
      return lines.join("\n");
    });
  }
}
