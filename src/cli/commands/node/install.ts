import { Command, Option } from "clipanion";
import * as t from "typanion";
import { HostCommand } from "../../host-command.ts";
import { note, writeResult } from "../../output.ts";
import { loadConfig } from "../../../config/store.ts";
import { spawnRunner } from "../../../node/gpu/command-runner.ts";
import { detectGpus, describeGpus } from "../../../node/gpu/detect.ts";
import { formatBytes } from "../../../node/gpu/system.ts";
import { installNode } from "../../../node/install/install.ts";
import { VARIANTS, type NodePlatform } from "../../../node/install/manifest.ts";
import { createProgressReporter } from "../../../node/install/progress.ts";

/** Test hook: the platform to install for, instead of this machine's. */
export const NODE_PLATFORM_OVERRIDE = "node.platform";

export class NodeInstallCommand extends HostCommand {
  static override paths = [["node", "install"]];

  static override usage = Command.Usage({
    category: "Inference node",
    description: "Install a fabstir-llm-node build",
    details:
      "Picks the build that fits the detected GPU and driver (CUDA 13 when the driver supports it, else CUDA 12, else CPU), downloads it with resume, verifies its size and SHA-256 against the release manifest, and installs it atomically beside other versions in the node directory. A failed or interrupted install leaves the installed builds untouched; running the command again resumes the download.",
    examples: [
      ["Install the latest", "$0 node install"],
      ["Install a version", "$0 node install 1.4.2"],
      ["Force the CPU build", "$0 node install --variant cpu"],
    ],
  });

  version = Option.String({ required: false, name: "version" });
  variant = Option.String("--variant", { description: "Install this build instead of the one chosen for the GPU (cuda13, cuda12, cpu)", validator: t.isEnum(VARIANTS) });
  force = Option.Boolean("--force", false, { description: "Reinstall even if this build is already installed" });

  async run(): Promise<void> {
    const context = this.context;
    const { config } = await loadConfig(context);
    const gpu = await detectGpus({ runner: spawnRunner(context.spawn) });
    note(context, `GPU: ${describeGpus(gpu)}`);
    const progress = createProgressReporter(context, "fabstir-llm-node");
    const platform = context.overrides[NODE_PLATFORM_OVERRIDE] as NodePlatform | undefined;
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
}
