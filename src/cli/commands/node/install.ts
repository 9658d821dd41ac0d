import { Command, Option } from "clipanion";
import * as t from "typanion";
import { HostCommand } from "../../host-command.ts";
import { note, writeResult } from "../../output.ts";
import { loadConfig } from "../../../config/store.ts";
import { spawnRunner } from "../../../node/gpu/command-runner.ts";
import { detectGpus, describeGpus } from "../../../node/gpu/detect.ts";
import { formatBytes } from "../../../node/gpu/system.ts";
import { installNode } from "../../../node/install/install.ts";
import { VARIANTS, configuredManifestUrl } from "../../../node/install/manifest.ts";
import { installNodeFrom } from "../../../node/install/from-release.ts";
import { createProgressReporter } from "../../../node/install/progress.ts";

/** Test hook: the platform to install for, instead of this machine's. */

export class NodeInstallCommand extends HostCommand {
  static override paths = [["node", "install"]];

  static override usage = Command.Usage({
    category: "Inference node",
    description: "Install a fabstir-llm-node build",
    details:
      "fabstir-llm-node is released as a tarball, fabstir-llm-node-vX.Y.Z[-label].tar.gz, holding one CUDA 13 build and no checksum file. `--from <url> --sha256 <hex>` downloads one (with resume) and checks it against the SHA-256 you give; `--from <file>` installs a tarball you downloaded and shows its SHA-256. The binary is found wherever the tarball holds it, run once to prove it starts here, and installed under its own version, atomically, beside other versions. A failed install leaves the installed builds untouched.\n\nWhen a release manifest is published (node.manifestUrl), `node install [version]` picks the build that fits the GPU and driver from it instead.",
    examples: [
      ["Install a release tarball", "$0 node install --from https://example.com/fabstir-llm-node-v8.38.0.tar.gz --sha256 <hex>"],
      ["Install a downloaded tarball", "$0 node install --from ./fabstir-llm-node-v8.38.0.tar.gz"],
      ["Install the latest from a manifest", "$0 node install"],
      ["Install a version", "$0 node install 1.4.2"],
      ["Force the CPU build", "$0 node install --variant cpu"],
    ],
  });

  version = Option.String({ required: false, name: "version" });
  variant = Option.String("--variant", {
    description: "Install this build instead of the one chosen for the GPU (cuda13, cuda12, cpu)",
    validator: t.isEnum(VARIANTS),
  });
  force = Option.Boolean("--force", false, { description: "Reinstall even if this build is already installed" });
  from = Option.String("--from", { description: "A release tarball to install: an http(s) URL (needs --sha256) or a local .tar.gz" });
  sha256 = Option.String("--sha256", { description: "The tarball's SHA-256 (64 hex digits); required with a URL" });

  async run(): Promise<void> {
    const context = this.context;
    if (this.from !== undefined) return this.installFrom(this.from);
    const { config } = await loadConfig(context);
    // With no manifest published this throws NODE_MANIFEST_UNSET (what to do instead) before anything is probed.
    configuredManifestUrl(config);
    const gpu = await detectGpus({ runner: spawnRunner(context.spawn) });
    note(context, `GPU: ${describeGpus(gpu)}`);
    const progress = createProgressReporter(context, "fabstir-llm-node");
    const platform = context.services.nodePlatform;
    let result;
    try {
      result = await installNode({
        paths: context.paths,
        config,
        fetch: context.fetch,
        gpu,
        version: this.version,
        variant: this.variant,
        force: this.force,
        ...(platform ? { platform } : {}),
        logger: context.logger,
        onPlan: (plan) => note(context, `Build: ${plan.id} for ${plan.platform} (${formatBytes(plan.size)}). ${plan.reason}`),
        onProgress: progress.onProgress,
        download: { sleep: (ms) => context.clock.sleep(ms) },
      });
    } finally {
      progress.stop();
    }
    const pinned = config.node.version && config.node.version !== result.id ? config.node.version : null;
    writeResult(context, { ...result, gpu: { kind: gpu.kind, driverVersion: gpu.driverVersion, cudaVersion: gpu.cudaVersion } }, () => {
      const lines = result.alreadyInstalled
        ? [`fabstir-llm-node ${result.id} is already installed in ${result.dir} (--force reinstalls it).`]
        : [`Installed fabstir-llm-node ${result.id} in ${result.dir} (SHA-256 verified).`];
      if (pinned) lines.push(`The host is pinned to ${pinned}; run \`fabstir-host node use ${result.id}\` to switch.`);
      if (config.node.binaryPath) lines.push(`note: node.binaryPath (${config.node.binaryPath}) is set and takes precedence over installed builds.`);
      return lines.join("\n");
    });
  }

  private async installFrom(from: string): Promise<void> {
    const context = this.context;
    const { config } = await loadConfig(context);
    if (this.version !== undefined) note(context, `note: the version comes from the tarball's binary; "${this.version}" is ignored with --from.`);
    const progress = createProgressReporter(context, "fabstir-llm-node");
    let result;
    try {
      result = await installNodeFrom({
        paths: context.paths,
        fetch: context.fetch,
        spawn: context.spawn,
        from,
        sha256: this.sha256,
        variant: this.variant,
        force: this.force,
        env: context.env,
        logger: context.logger,
        onProgress: progress.onProgress,
        download: { sleep: (ms) => context.clock.sleep(ms) },
      });
    } finally {
      progress.stop();
    }
    const pinned = config.node.version && config.node.version !== result.id ? config.node.version : null;
    writeResult(context, result, () => {
      const lines = [
        result.alreadyInstalled
          ? `fabstir-llm-node ${result.id} is already installed in ${result.dir} (--force reinstalls it).`
          : `Installed fabstir-llm-node ${result.version} (${result.variant}) as ${result.id} in ${result.dir}.`,
        `Binary: ${result.binaryInArchive} in the tarball; it started and reported version ${result.version}.`,
        result.sha256Verified
          ? `SHA-256 ${result.sha256} (matches --sha256).`
          : `SHA-256 ${result.sha256}: not checked (no --sha256); compare it with the one the release was published with.`,
      ];
      if (pinned) lines.push(`The host is pinned to ${pinned}; run \`fabstir-host node use ${result.id}\` to switch.`);
      if (config.node.binaryPath) lines.push(`note: node.binaryPath (${config.node.binaryPath}) is set and takes precedence over installed builds.`);
      return lines.join("\n");
    });
  }
}
