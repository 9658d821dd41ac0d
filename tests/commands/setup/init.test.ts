import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTestContext, runCli, scriptedPrompter } from "../../helpers/context.ts";

const readConfig = (file: string) => JSON.parse(readFileSync(file, "utf8"));

describe("init", () => {
  test("without a terminal and without --yes it refuses and names the flag", async () => {
    const result = await runCli(["init"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("FH0018");
    expect(result.stderr).toContain("--yes");
    expect(existsSync(result.context.paths.configFile)).toBe(false);
  });

  test("--yes with flags writes the config; a second run changes nothing", async () => {
    const context = makeTestContext();
    const deployment = join(context.cwd, "deployment.json");
    writeFileSync(deployment, JSON.stringify({ rpcUrl: "http://127.0.0.1:45678", chainId: 31337 }));
    const first = await runCli(
      ["init", "--yes", "--network", "local", "--deployment-file", deployment, "--public-url", "http://127.0.0.1:8080", "--models", "a/b:c.gguf,d/e:f.gguf", "--price-usdc", "5", "--price-eth", "0.000002", "--json"],
      context,
    );
    expect(first.code).toBe(0);
    const data = first.json().data;
    expect(data.changes.map((c: { key: string }) => c.key)).toContain("network");
    const config = readConfig(context.paths.configFile);
    expect(config).toMatchObject({
      network: "local",
      rpcUrls: ["http://127.0.0.1:45678"],
      models: ["a/b:c.gguf", "d/e:f.gguf"],
      prices: { "*": { usdc: "5000", eth: "2000000000000" } },
    });
    const before = readFileSync(context.paths.configFile, "utf8");
    const second = await runCli(["init", "--yes"], context);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Nothing changed");
    expect(readFileSync(context.paths.configFile, "utf8")).toBe(before);
  });

  test("a price the contract cannot hold is refused before anything is written", async () => {
    const result = await runCli(["init", "--yes", "--price-usdc", "0.0001"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--price-usdc");
    expect(result.stderr).toContain("Try:");
    expect(existsSync(result.context.paths.configFile)).toBe(false);
  });

  test("a bad flag value is a usage error naming the allowed values", async () => {
    const result = await runCli(["init", "--yes", "--network", "mainnet"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("FH0001");
    expect(result.stderr).toContain("base-sepolia");
  });

  test("on a terminal the wizard asks, with current values as defaults, and confirms changes on re-run", async () => {
    const answers = {
      Network: "base-sepolia",
      "RPC URLs": "https://rpc.example.org,https://sepolia.base.org",
      "Public API URL": "https://host.example.org:8080",
      "Public API port": "8080",
      "Models to serve": "a/b:c.gguf",
      "USDC price": "7.5",
      "ETH price": "0.000003",
    };
    const context = makeTestContext({ tty: true, prompter: scriptedPrompter(answers) });
    const first = await runCli(["init"], context);
    expect(first.code).toBe(0);
    expect(readConfig(context.paths.configFile)).toMatchObject({ rpcUrls: ["https://rpc.example.org", "https://sepolia.base.org"], prices: { "*": { usdc: "7500" } } });

    // Re-run: the same answers change nothing, and nothing is asked to confirm.
    const again = scriptedPrompter(answers);
    context.prompter = again;
    const second = await runCli(["init"], context);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Nothing changed");
    expect(again.asked.some((q) => q.startsWith("Save these changes"))).toBe(false);

    // A changed answer is confirmed; declining leaves the file as it was.
    const declined = scriptedPrompter({ ...answers, "USDC price": "9", "Save these changes": false });
    context.prompter = declined;
    const before = readFileSync(context.paths.configFile, "utf8");
    const third = await runCli(["init"], context);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain("FH0017");
    expect(readFileSync(context.paths.configFile, "utf8")).toBe(before);
  });
});
