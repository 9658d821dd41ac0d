/**
 * `register` and `update models` put on chain only models a node of this host will serve: a model whose file is not
 * downloaded, or that node.instances leaves out, is refused (FH0317, nothing sent) unless --yes, which warns.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { DEVNET_HOOK_TIMEOUT_MS, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { fundedAccount, hostEnv, nodeInfo, registeredHost } from "../helpers/host-env.ts";
import { HostErrors } from "../../../src/errors/codes/index.ts";

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet();
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await devnet?.stop();
});

describe("register serves what it registers", () => {
  test("a model whose file is not downloaded is refused with the fix; --yes registers it with a warning", async () => {
    const env = await hostEnv(devnet, { account: await fundedAccount(devnet) });
    rmSync(join(env.configDir, "models", env.models[1]!.file));
    const refused = await env.run(["register", "--json"]);
    expect(refused.code).toBe(1);
    const error = refused.json().error;
    expect(error.code).toBe(HostErrors.MODEL_NO_NODE.code);
    expect(error.message).toContain(env.ref(1));
    expect(error.message).toContain("not downloaded");
    expect(error.hint).toContain(`fabstir-host models download ${env.ref(1)}`);
    expect((await nodeInfo(env)).models).toEqual([]);

    const forced = await env.run(["register", "--yes", "--json"]);
    expect(forced.code).toBe(0);
    expect(forced.json().data.plan.warnings.join("\n")).toContain(`No node will serve ${env.ref(1)}`);
    expect((await nodeInfo(env)).models).toEqual(env.models.map((m) => m.id));
  });

  test("a model that node.instances leaves out is refused", async () => {
    const env = await hostEnv(devnet, {
      account: await fundedAccount(devnet),
      config: { node: { instances: [{ model: `${devnet.deployment.models[0]!.repo}:${devnet.deployment.models[0]!.file}`, gpus: [] }] } },
    });
    const refused = await env.run(["register", "--json"]);
    expect(refused.json().error).toMatchObject({ code: HostErrors.MODEL_NO_NODE.code });
    expect(refused.code).toBe(1);
    expect(refused.json().error.hint).toContain("node.instances");
  });

  test("update models refuses to add a model without a node", async () => {
    const env = await registeredHost(devnet, { models: [`${devnet.deployment.models[0]!.repo}:${devnet.deployment.models[0]!.file}`] });
    rmSync(join(env.configDir, "models", env.models[1]!.file));
    const refused = await env.run(["update", "models", env.ref(0), env.ref(1), "--json"]);
    expect(refused.json().error).toMatchObject({ code: HostErrors.MODEL_NO_NODE.code });
    expect(refused.code).toBe(1);
    expect((await nodeInfo(env)).models).toEqual([env.models[0]!.id]);
    expect(env.config().models).toEqual([env.ref(0)]);
  });
});
