/**
 * `pricing show --offline`: the config's prices from the config alone, through the real command line in-process. No
 * request leaves the process, not even the network check the command line otherwise posts before a chain command.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { makeTestContext, runCli } from "../../helpers/context.ts";
import type { FetchFn } from "../../../src/context.ts";
import { CoreErrors } from "../../../src/errors/codes/core.ts";

const TINY = "CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf";
const OTHER = "TheBloke/Llama-2-7B-Chat-GGUF:llama-2-7b-chat.Q4_K_M.gguf";

/** A host set up with two models, a price for one of them and a wallet, whose RPC is unreachable; every request counted. */
async function offlineHost() {
  const requests: string[] = [];
  const fetch: FetchFn = async (input) => {
    requests.push(String(input));
    throw new Error("connect ECONNREFUSED");
  };
  const context = makeTestContext({ fetch });
  for (const [key, value] of [
    ["rpcUrls", "http://127.0.0.1:1"],
    ["models", `${TINY},${OTHER}`],
    ["prices", JSON.stringify({ [TINY]: { usdc: "7000" }, "*": { eth: "3000000000000" } })],
  ]) {
    expect((await runCli(["config", "set", key!, value!], context)).code).toBe(0);
  }
  const file = JSON.parse(readFileSync(context.paths.configFile, "utf8"));
  file.wallet = { address: "0x19e7e376e7c213b7e7e7e46cc70a5dd086daff2a", backend: "keystore" };
  writeFileSync(context.paths.configFile, JSON.stringify(file, null, 2));
  return { context, requests };
}

describe("pricing show --offline", () => {
  test("shows every configured model's price per token and where it comes from; nothing on chain is claimed", async () => {
    const { context, requests } = await offlineHost();
    const result = await runCli(["pricing", "show", "--offline", "--json"], context);
    expect(result.code).toBe(0);
    const view = result.json().data;
    expect(view).toMatchObject({ source: "config", registered: null, bounds: null, missing: null, address: "0x19e7e376e7c213b7e7e7e46cc70a5dd086daff2a" });
    const row = (model: string, token: string) => view.rows.find((r: { model: string; token: string }) => r.model === model && r.token === token);
    expect(view.rows).toHaveLength(4);
    expect(row(TINY, "usdc")).toMatchObject({ configured: "7000", configuredHuman: "7", configuredFrom: "model", onChain: null, served: null });
    expect(row(OTHER, "eth")).toMatchObject({ configured: "3000000000000", configuredFrom: "default", onChain: null });
    expect(row(OTHER, "usdc")).toMatchObject({ configuredFrom: "builtin" });
    expect(row(TINY, "usdc").modelId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(requests).toEqual([]);

    const text = await runCli(["pricing", "show", "--offline", "--model", TINY], context);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("the chain was not read");
    expect(text.stdout).toContain("7 (model)");
    expect(text.stdout).not.toContain(OTHER);
    expect(requests).toEqual([]);
  });

  test("without --offline the same host goes to the chain, and says plainly that it cannot reach it", async () => {
    const { context, requests } = await offlineHost();
    const result = await runCli(["pricing", "show", "--json"], context);
    expect(result.code).not.toBe(0);
    expect(result.json().ok).toBe(false);
    expect(requests.length).toBeGreaterThan(0);
  });

  test("no config yet: the usual error, still without a request", async () => {
    const requests: string[] = [];
    const context = makeTestContext({
      fetch: async (input) => {
        requests.push(String(input));
        throw new Error("unreachable");
      },
    });
    const result = await runCli(["pricing", "show", "--offline", "--json"], context);
    expect(result.code).not.toBe(0);
    expect(result.json().error.code).toBe(CoreErrors.NOT_INITIALIZED.code);
    expect(requests).toEqual([]);
  });
});
