/**
 * A keyless node (node.signer = "cli") refuses encrypted sessions (fabstir-llm-node@85a87b8 src/api/server.rs:2532-2545),
 * which the SDK opens by default (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/SessionManager.ts:406):
 * status says so in a warning line, and init says so in its closing text.
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { statusWarnings, type WarningFacts } from "../../../../src/host/status/warnings.ts";
import { makeTestContext, runCli } from "../../../helpers/context.ts";
import { createMemoryKeyringClient } from "../../../../src/wallet/index.ts";
import { Warnings } from "../../../../src/errors/codes/index.ts";

const facts = (signer: "node" | "cli"): WarningFacts => ({
  networkLabel: "Base Sepolia",
  registration: null,
  ethBalance: null,
  proofCostWei: null,
  minEthProofs: 50,
  slashes: [],
  node: { status: "running", mode: "daemon", state: "running", pid: 1, nodePid: 2, startedAt: null, uptimeSeconds: 60, reason: null },
  signer,
});

describe("keyless node notes", () => {
  test("status: a warning line in cli mode, none in node mode", () => {
    const cli = statusWarnings(facts("cli")).find((w) => w.kind === "keyless-node");
    expect(cli).toMatchObject({ severity: "warning" });
    expect(cli!.message).toContain("ENCRYPTION_NOT_SUPPORTED");
    expect(cli!.hint).toContain("config set node.signer node");
    expect(statusWarnings(facts("node")).some((w) => w.kind === "keyless-node")).toBe(false);
  });

  test("init: the closing text warns when it leaves the node keyless", async () => {
    const context = makeTestContext({ services: { keyring: createMemoryKeyringClient() } });
    const deployment = join(context.cwd, "deployment.json");
    writeFileSync(deployment, JSON.stringify({ rpcUrl: "http://127.0.0.1:45678", chainId: 31337 }));
    const args = [
      "init",
      "--yes",
      "--network",
      "local",
      "--deployment-file",
      deployment,
      "--public-url",
      "http://127.0.0.1:8080",
      "--models",
      "a/b:c.gguf",
      "--price-usdc",
      "5",
      "--price-eth",
      "0.000002",
    ];
    const cli = await runCli([...args, "--signer", "cli"], context);
    expect(cli.code).toBe(0);
    // A coded warning on stderr (the result stays on stdout), and in the JSON envelope.
    expect(cli.stderr).toContain("warning FH0901: node.signer = cli: the node runs without a key");
    expect(cli.stderr).toContain("config set node.signer node");
    const json = await runCli([...args, "--signer", "cli", "--json"], context);
    expect(json.json().warnings).toEqual([{ code: Warnings.KEYLESS_NODE.code, message: expect.stringContaining("without a key") }]);
    const node = await runCli([...args, "--signer", "node"], context);
    expect(node.code).toBe(0);
    expect(node.stdout + node.stderr).not.toContain("without a key");
  });
});
