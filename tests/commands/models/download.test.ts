import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTestContext, runCli } from "../../helpers/context.ts";
import { startFileServer, type FileServer } from "../../unit/node/helpers/file-server.ts";
import { sha256Hex, testBytes } from "../../unit/node/helpers/tarballs.ts";
import { NodeErrors } from "../../../src/errors/codes/index.ts";

const REPO = "CohereForAI/TinyVicuna-1B-32k-GGUF";
const FILE = "tiny-vicuna-1b.q4_k_m.gguf";
const MODEL = `${REPO}:${FILE}`;
const TOKEN = "hf_testTokenSecret12345";
const body = testBytes(200_000, 5);
const sha = sha256Hex(body);
let server: FileServer;

beforeAll(async () => {
  server = await startFileServer({ [`/${REPO}/resolve/main/${FILE}`]: body });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function modelContext(options: { env?: Record<string, string>; lookup?: (repo: string, file: string) => Promise<string | null> } = {}) {
  const context = makeTestContext({ env: { NO_COLOR: "1", ...options.env }, services: options.lookup ? { modelHashLookup: options.lookup } : {} });
  mkdirSync(context.paths.home, { recursive: true });
  writeFileSync(context.paths.configFile, JSON.stringify({ version: 1, modelHost: { baseUrl: server.url }, models: [MODEL] }));
  return context;
}

describe("models download", () => {
  test("hash from the ModelRegistry, file placed where the node loads it, then reused", async () => {
    const asked: string[] = [];
    const context = modelContext({ lookup: async (repo, file) => (asked.push(`${repo}:${file}`), `0x${sha}`) });
    const result = await runCli(["models", "download", MODEL], context);
    expect(result.code).toBe(0);
    expect(asked).toEqual([MODEL]);
    expect(result.stderr).toContain(`Expected SHA-256 (ModelRegistry): ${sha}`);
    const path = join(context.paths.modelsDir, FILE);
    expect(result.stdout).toContain(`Downloaded ${MODEL} to ${path}`);
    expect(sha256Hex(readFileSync(path))).toBe(sha);
    const again = await runCli(["models", "download", MODEL, "--json"], context);
    expect(again.json().data).toMatchObject({ alreadyPresent: true, path, sha256: sha, listedInConfig: true });
  });

  test("--sha256 instead of the registry; a mismatch deletes the file and says so", async () => {
    const context = modelContext({ lookup: async () => null });
    const result = await runCli(["models", "download", MODEL, "--sha256", "f".repeat(64)], context);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(NodeErrors.CHECKSUM_MISMATCH.code);
    expect(result.stderr).toContain("deleted");
    expect(existsSync(join(context.paths.modelsDir, FILE))).toBe(false);
    expect(existsSync(join(context.paths.modelsDir, `${FILE}.partial`))).toBe(false);
    expect((await runCli(["models", "download", MODEL, "--sha256", sha], context)).code).toBe(0);
  });

  test("no hash anywhere: a clear error naming --sha256", async () => {
    const result = await runCli(["models", "download", MODEL, "--json"], modelContext({ lookup: async () => null }));
    expect(result.code).toBe(1);
    expect(result.json().error.code).toBe(NodeErrors.MODEL_HASH_UNKNOWN.code);
    expect(result.json().error.hint).toContain("--sha256");
  });

  test("gated models: the token from HF_TOKEN or --token-file is sent, never printed", async () => {
    server.mode.token = TOKEN;
    const refused = await runCli(["models", "download", MODEL, "--sha256", sha], modelContext());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(NodeErrors.DOWNLOAD_UNAUTHORIZED.code);
    expect(refused.stderr).toContain("HF_TOKEN");

    const withEnv = await runCli(["models", "download", MODEL, "--sha256", sha, "--verbose"], modelContext({ env: { HF_TOKEN: TOKEN } }));
    expect(withEnv.code).toBe(0);
    expect(server.requests.at(-1)!.authorization).toBe(`Bearer ${TOKEN}`);

    const context = modelContext();
    const tokenFile = join(context.paths.home, "hf-token");
    writeFileSync(tokenFile, `${TOKEN}\n`);
    server.mode.token = "another-token-value";
    const wrong = await runCli(["models", "download", MODEL, "--sha256", sha, "--token-file", tokenFile, "--verbose"], context);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("the access token was refused");
    for (const text of [refused.stdout, refused.stderr, withEnv.stdout, withEnv.stderr, wrong.stdout, wrong.stderr]) expect(text).not.toContain(TOKEN);
  });

  test("malformed names and hashes are usage errors", async () => {
    expect((await runCli(["models", "download", "just-a-file.gguf"], modelContext())).code).toBe(2);
    expect((await runCli(["models", "download", MODEL, "--sha256", "xyz"], modelContext())).code).toBe(2);
  });
});
