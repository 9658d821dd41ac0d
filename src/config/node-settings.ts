/**
 * The node's settings: the build, its signer, ports, model, GPU use and what it is handed (src/node/supervisor/node-env.ts),
 * and the S5 store it writes proofs to. Part of the one configuration table (settings.ts).
 */
import * as t from "typanion";
import { constant, integer, isHttpUrl, isPort, json, nullable, setting, text, textOrNull, type Setting } from "./setting-kit.ts";
import { isExtraEnv, isModelRef, isSafePath } from "./rules.ts";

export const NODE_SETTINGS: Setting[] = [
  setting("node.version", {
    description: "Installed node build in use (null: the newest installed)",
    form: "a version like 1.4.2, or null",
    validator: nullable(t.cascade(t.isString(), [t.matchesRegExp(/^\d+\.\d+\.\d+([-+][\w.-]+)?$/)])),
    defaultValue: constant(null),
    parse: textOrNull,
  }),
  setting("node.binaryPath", {
    description: "Run this node binary instead of an installed build",
    form: "a file path without .., or null",
    validator: nullable(isSafePath),
    defaultValue: constant(null),
    parse: textOrNull,
  }),
  setting("node.signer", {
    description: "Who signs checkpoints: the node (holds the key) or this CLI (keyless node)",
    form: "node or cli",
    validator: t.isEnum(["node", "cli"]),
    defaultValue: constant("node"),
    parse: text,
  }),
  setting("node.internalPort", {
    description: "Loopback port the node listens on",
    form: "a port number 1-65535",
    validator: isPort,
    defaultValue: constant(8081),
    parse: integer,
  }),
  setting("node.apiPort", {
    description: "Public API port (HTTP and WebSocket) served to clients",
    form: "a port number 1-65535",
    validator: isPort,
    defaultValue: constant(8080),
    parse: integer,
  }),
  setting("node.p2pPort", {
    description: "Node P2P port (also uses +1 tcp and +2 udp)",
    form: "a port number 1-65533",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 65533)]),
    defaultValue: constant(9000),
    parse: integer,
  }),
  setting("node.gpuLayers", {
    description: "Model layers offloaded to the GPU (0 = CPU only)",
    form: "an integer from 0 to 1000",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(0, 1000)]),
    defaultValue: constant(35),
    parse: integer,
  }),
  setting("node.contextLength", {
    description: "Maximum context length (MAX_CONTEXT_LENGTH)",
    form: "an integer from 512 to 1048576",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(512, 1048576)]),
    defaultValue: constant(8192),
    parse: integer,
  }),
  setting("node.batchSize", {
    description: "Batch size (LLAMA_BATCH_SIZE)",
    form: "an integer from 1 to 65536",
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 65536)]),
    defaultValue: constant(2048),
    parse: integer,
  }),
  setting("node.modelPath", {
    description: "Model file the node loads (null: the first model's file in the models directory)",
    form: "a file path without .., or null",
    validator: nullable(isSafePath),
    defaultValue: constant(null),
    parse: textOrNull,
  }),
  setting("node.extraEnv", {
    description: "Extra environment variables for the node",
    form: 'JSON {"NAME":"value"}, without loader variables (LD_*, DYLD_*) or secrets',
    validator: isExtraEnv,
    defaultValue: constant({}),
    parse: json,
  }),
  // No manifest is published yet (node releases are bare tarballs): null until one is; `node install --from` meanwhile.
  setting("node.manifestUrl", {
    description: "Release manifest listing node builds (null: none published; use node install --from)",
    form: "an http(s) URL, or null",
    validator: nullable(isHttpUrl),
    defaultValue: constant(null),
    parse: textOrNull,
  }),
  setting("node.instances", {
    description: "Nodes to run: which model each loads and on which GPUs (null: one node per GPU, planned from the GPUs and model sizes)",
    form: 'JSON [{"model":"repo:file","gpus":[0],"gpuLayers":35,"contextLength":8192}], or null',
    validator: nullable(
      t.isArray(
        t.isObject({
          model: isModelRef,
          gpus: t.isArray(t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(0, 63)])),
          gpuLayers: t.isOptional(t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(0, 1000)])),
          contextLength: t.isOptional(t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(512, 1048576)])),
        }),
      ),
    ),
    defaultValue: constant(null),
    parse: (value) => (value === "" || value === "null" ? null : json(value)),
  }),
  setting("node.logLevel", {
    description: "Node log filter (RUST_LOG)",
    form: "a RUST_LOG filter like info or fabstir=debug",
    validator: t.cascade(t.isString(), [t.matchesRegExp(/^[\w=,.:-]+$/)]),
    defaultValue: constant("info"),
    parse: text,
  }),
  setting("s5.url", {
    description: "S5 bridge the node stores proofs and checkpoint deltas in (ENHANCED_S5_URL; null: a throwaway in-memory store)",
    form: "an http(s) URL, or null",
    validator: nullable(isHttpUrl),
    defaultValue: constant(null),
    parse: textOrNull,
  }),
];
