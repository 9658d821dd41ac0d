import { Command, Option } from "clipanion";
import * as t from "typanion";
import { HostCommand } from "../../host-command.ts";
import { note, writeResult } from "../../output.ts";
import { loadConfig } from "../../../config/store.ts";
import { HostError } from "../../../errors/host-error.ts";
import { NodeErrors } from "../../../errors/codes/node.ts";
import { parseModelRef } from "../../../node/models/model-ref.ts";
import { readModelHostToken } from "../../../node/models/token.ts";
import { lookupModelHash, normalizeSha256 } from "../../../node/models/lookup-hash.ts";
import { downloadModel } from "../../../node/models/download-model.ts";
import { createProgressReporter } from "../../../node/install/progress.ts";
import { formatBytes } from "../../../node/gpu/system.ts";

export class ModelsDownloadCommand extends HostCommand {
  static override paths = [["models", "download"]];

  static override usage = Command.Usage({
    category: "Models",
    description: "Download a model file and verify it",
    details:
      "Downloads repo:file from the model host (modelHost.baseUrl, Hugging Face by default) with resume and progress, verifies the SHA-256 the ModelRegistry holds for it, and places it in the models directory where the node finds it. A file that does not match is deleted. Gated models need a token: HF_TOKEN, or --token-file.",
    examples: [
      ["Download a model", "$0 models download CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf"],
      ["With a known hash and a token file", "$0 models download org/repo:model.gguf --sha256 <hex> --token-file ~/.hf-token"],
    ],
  });

  model = Option.String({ name: "repo:file" });
  sha256 = Option.String("--sha256", {
    description: "Expected SHA-256 (hex) instead of asking the ModelRegistry",
    validator: t.cascade(t.isString(), [t.matchesRegExp(/^(0x)?[0-9a-fA-F]{64}$/)]),
  });
  tokenFile = Option.String("--token-file", { description: "File holding the model host's access token (instead of HF_TOKEN)" });

  async run(): Promise<void> {
    const context = this.context;
    const ref = parseModelRef(this.model);
    const { config } = await loadConfig(context);
    const token = await readModelHostToken(context.env, this.tokenFile);
    const expected = this.sha256 ? normalizeSha256(this.sha256) : await lookupModelHash(context, ref.repo, ref.file, config);
    if (!expected) {
      throw new HostError(NodeErrors.MODEL_HASH_UNKNOWN, `The ModelRegistry lists no SHA-256 for ${ref.repo}:${ref.file}.`, {
        hint: "Try: check the name with `fabstir-host models list`, or pass --sha256 <hex> if you know the published hash.",
      });
    }
    if (!this.sha256) note(context, `Expected SHA-256 (ModelRegistry): ${expected}`);
    const progress = createProgressReporter(context, ref.file);
    let result;
    try {
      result = await downloadModel({
        modelsDir: context.paths.modelsDir,
        baseUrl: config.modelHost.baseUrl,
        model: ref,
        expectedSha256: expected,
        fetch: context.fetch,
        token,
        logger: context.logger,
        onProgress: progress.onProgress,
        download: { sleep: (ms) => context.clock.sleep(ms) },
      });
    } finally {
      progress.stop();
    }
    const listed = config.models.includes(`${ref.repo}:${ref.file}`);
    writeResult(context, { ...result, listedInConfig: listed }, () => {
      const lines = [
        result.alreadyPresent
          ? `${result.path} is already present and verified (${formatBytes(result.size)}).`
          : `Downloaded ${result.model} to ${result.path} (${formatBytes(result.size)}, SHA-256 verified).`,
      ];
      if (!listed) lines.push(`This host does not serve it yet: add it with \`fabstir-host update models\`.`);
      return lines.join("\n");
    });
  }
}
