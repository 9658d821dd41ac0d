import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hostKeyUnlocker, resolveModelPath, supervisorSettingsFor } from "../../../src/daemon/host-setup.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import type { HostConfig } from "../../../src/config/types.ts";
import { makeTestContext } from "../../helpers/context.ts";
import { SupervisorErrors } from "../../../src/errors/codes/index.ts";

const base = resolveConfig({ network: "base-sepolia" }, {}, {}).config;
const withNode = (node: Partial<HostConfig["node"]>, models: string[] = []): HostConfig => ({ ...base, models, node: { ...base.node, ...node } });

describe("resolveModelPath", () => {
  test("node.modelPath wins; else the first model's file in the models directory", () => {
    const context = makeTestContext();
    const file = join(context.paths.modelsDir, "tiny-vicuna-1b.q4_k_m.gguf");
    mkdirSync(context.paths.modelsDir, { recursive: true });
    writeFileSync(file, "GGUF");
    expect(resolveModelPath(context, withNode({}, ["CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf"]))).toBe(file);
    expect(resolveModelPath(context, withNode({ modelPath: file }))).toBe(file);
  });

  test("a missing model says how to get it", () => {
    const context = makeTestContext();
    expect(() => resolveModelPath(context, withNode({}))).toThrow(
      expect.objectContaining({ code: SupervisorErrors.NODE_MODEL_MISSING.code, message: "No model is configured for this host." }),
    );
    expect(() => resolveModelPath(context, withNode({}, ["a/b:c.gguf"]))).toThrow(
      expect.objectContaining({ code: SupervisorErrors.NODE_MODEL_MISSING.code, hint: "Try: fabstir-host models download a/b:c.gguf" }),
    );
  });
});

describe("hostKeyUnlocker", () => {
  test('none for signer "cli"; for "node" without a wallet, a clear error', async () => {
    const context = makeTestContext();
    expect(hostKeyUnlocker(context, withNode({ signer: "cli" }))).toBeUndefined();
    const unlock = hostKeyUnlocker(context, { ...withNode({ signer: "node" }), wallet: null })!;
    await expect(unlock()).rejects.toMatchObject({ code: SupervisorErrors.NODE_KEY_UNAVAILABLE.code });
  });
});

describe("supervisorSettingsFor", () => {
  test("defaults unless tuned in the config, a flag, or a test override", () => {
    const context = makeTestContext();
    expect(supervisorSettingsFor(context, base)).toEqual({});
    const tuned = { ...base, node: { ...base.node, supervisor: { crashLoopMax: 3, crashLoopWindowMinutes: 5, healthIntervalSeconds: 30 } } } as HostConfig;
    expect(supervisorSettingsFor(context, tuned, 600_000)).toEqual({
      crashLoop: { maxCrashes: 3, windowMs: 300_000 },
      healthIntervalMs: 30_000,
      startupTimeoutMs: 600_000,
    });
    context.services = { ...context.services, supervisorSettings: { stopTimeoutMs: 1 } };
    expect(supervisorSettingsFor(context, base)).toEqual({ stopTimeoutMs: 1 });
  });
});
