/** The model hash lookup through the chain client, and model ids computed locally = the registry's getModelId. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEVNET_HOOK_TIMEOUT_MS, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { makeTestContext } from "../../helpers/context.ts";
import { testConfig } from "../../unit/chain/helpers.ts";
import { connectChain } from "../../../src/chain/index.ts";
import { lookupModelHash } from "../../../src/node/models/lookup-hash.ts";
import { modelIdOf } from "../../../src/host/models/registry.ts";
import { NodeErrors } from "../../../src/errors/codes/index.ts";

let devnet: TestDevnet;
let deploymentFile: string;

beforeAll(async () => {
  devnet = await startTestDevnet();
  deploymentFile = join(mkdtempSync(join(tmpdir(), "fabstir-lookup-")), "deployment.json");
  writeFileSync(deploymentFile, JSON.stringify(devnet.deployment));
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await devnet?.stop();
});

const localConfig = () => testConfig({ network: "local", chainId: 31337, rpcUrls: [devnet.rpcUrl], deploymentFile });

test("the registry's SHA-256 for repo:file; null for a model it does not list", async () => {
  const context = makeTestContext();
  const model = devnet.deployment.models[0]!;
  expect(await lookupModelHash(context, model.repo, model.file, localConfig())).toBe(model.sha256.slice(2));
  expect(await lookupModelHash(context, "Nobody/Nothing-GGUF", "none.gguf", localConfig())).toBeNull();
});

test("an RPC that does not answer: MODEL_HASH_UNKNOWN with the reason", async () => {
  const context = makeTestContext();
  const config = { ...localConfig(), rpcUrls: ["http://127.0.0.1:9"] };
  await expect(lookupModelHash(context, "a/b", "c.gguf", config)).rejects.toMatchObject({ code: NodeErrors.MODEL_HASH_UNKNOWN.code });
});

test("model ids: keccak256(repo + '/' + file) equals ModelRegistry.getModelId", async () => {
  const chain = connectChain(localConfig());
  try {
    for (const model of devnet.deployment.models)
      expect(await chain.contracts.modelRegistry.getModelId(model.repo, model.file)).toBe(modelIdOf(model.repo, model.file));
    expect(await chain.contracts.modelRegistry.getModelId("x/y", "z.gguf")).toBe(modelIdOf("x/y", "z.gguf"));
  } finally {
    chain.close();
  }
});
