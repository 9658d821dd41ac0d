import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { note, writeResult } from "../../output.ts";
import { loadConfig, updateConfig } from "../../../config/store.ts";
import { selectNodeBuild } from "../../../node/install/manage.ts";

export class NodeUseCommand extends HostCommand {
  static override paths = [["node", "use"]];

  static override usage = Command.Usage({
    category: "Inference node",
    description: "Switch the node build in use",
    details:
      "Records the build in node.version (takes effect on the next start). Accepts a build id as `node list` shows it (1.4.2-cuda13), or a version when only one variant of it is installed.",
    examples: [
      ["Use a version", "$0 node use 1.4.2"],
      ["Use a specific build", "$0 node use 1.4.2-cuda12"],
    ],
  });

  version = Option.String({ name: "version" });

  async run(): Promise<void> {
    const context = this.context;
    const build = selectNodeBuild(context.paths, this.version);
    await updateConfig(
      context,
      (c) => {
        c.node.version = build.id;
      },
      { reason: "node-use" },
    );
    const { config, sources } = await loadConfig(context);
    if (config.node.binaryPath) note(context, `note: node.binaryPath (${config.node.binaryPath}) is set and still takes precedence.`);
    if (config.node.version !== build.id)
      note(context, `note: the ${sources["node.version"] ?? "environment"} setting of node.version (${config.node.version}) overrides the saved choice.`);
    writeResult(
      context,
      { id: build.id, version: build.version, variant: build.variant, binaryPath: build.binaryPath },
      () => `Using fabstir-llm-node ${build.id} from the next start (${build.binaryPath}).`,
    );
  }
}
