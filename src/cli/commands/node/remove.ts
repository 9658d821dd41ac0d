import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { loadConfig, updateConfig } from "../../../config/store.ts";
import { removeNodeBuild } from "../../../node/install/manage.ts";

export class NodeRemoveCommand extends HostCommand {
  static override paths = [["node", "remove"]];

  static override usage = Command.Usage({
    category: "Inference node",
    description: "Remove an installed node build",
    details: "Deletes an installed build. Refuses the build the host runs unless --force (then node.version falls back to the newest remaining build).",
    examples: [
      ["Remove a version", "$0 node remove 1.3.0"],
      ["Remove one variant", "$0 node remove 1.3.0-cpu"],
    ],
  });

  version = Option.String({ name: "version" });
  force = Option.Boolean("--force", false, { description: "Remove it even if it is the build in use" });

  async run(): Promise<void> {
    const context = this.context;
    const { config } = await loadConfig(context);
    const result = await removeNodeBuild(context.paths, config, this.version, { force: this.force });
    const pinned = config.node.version && [result.removed.id, result.removed.version].includes(config.node.version.replace(/^v/, ""));
    if (pinned) {
      await updateConfig(
        context,
        (c) => {
          c.node.version = null;
        },
        { reason: "node-remove" },
      );
    }
    writeResult(context, { removed: result.removed.id, dir: result.removed.dir, wasInUse: result.wasInUse, selectionCleared: !!pinned }, () => {
      const lines = [`Removed fabstir-llm-node ${result.removed.id}.`];
      if (pinned) lines.push("node.version was cleared: the newest installed build will run.");
      return lines.join("\n");
    });
  }
}
