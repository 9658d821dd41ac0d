import { spawn } from "node:child_process";
import { defaultServices } from "../../../../src/default-services.ts";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Interface } from "ethers";
import { modelPath, modelUrl, parseModelRef } from "../../../../src/node/models/model-ref.ts";
import { readModelHostToken } from "../../../../src/node/models/token.ts";
import { lookupModelHash, modelIdFor, normalizeSha256 } from "../../../../src/node/models/lookup-hash.ts";
import { downloadModel } from "../../../../src/node/models/download-model.ts";
import { MODEL_REGISTRY_ABI } from "../../../../src/chain/abi/model-registry.ts";
import { resolveConfig } from "../../../../src/config/store.ts";
import { pathsFor } from "../../../../src/config/paths.ts";
import { redact } from "../../../../src/util/redact.ts";
import { NodeErrors } from "../../../../src/errors/codes/node.ts";
import { startFileServer, type FileServer } from "../helpers/file-server.ts";
import { sha256Hex, testBytes } from "../helpers/tarballs.ts";

const REPO = "CohereForAI/TinyVicuna-1B-32k-GGUF";
const FILE = "tiny-vicuna-1b.q4_k_m.gguf";

describe("model names and URLs", () => {
  test("repo:file parses; the URL has the resolve/main form", () => {
    const ref = parseModelRef(`${REPO}:${FILE}`);
    expect(ref).toEqual({ repo: REPO, file: FILE });
    expect(modelUrl("https://huggingface.co/", ref)).toBe(`https://huggingface.co/${REPO}/resolve/main/${FILE}`);
    expect(modelUrl("http://127.0.0.1:1", { repo: "a/b", file: "sub dir/x.gguf" })).toBe("http://127.0.0.1:1/a/b/resolve/main/sub%20dir/x.gguf");
    expect(modelPath("/m", ref)).toBe(`/m/${FILE}`);
  });

  test("malformed names and escaping paths are refused", () => {
    for (const bad of ["no-colon", "repo-only:", ":file", "not a repo:file.gguf", "a/b/c:x"]) {
      expect(() => parseModelRef(bad)).toThrow(expect.objectContaining({ code: NodeErrors.MODEL_REF_INVALID.code }));
    }
    for (const bad of ["a/b:../../etc/passwd", "a/b:/abs.gguf", "a/b:..", "a/b:.hidden"]) {
      expect(() => parseModelRef(bad)).toThrow(expect.objectContaining({ code: NodeErrors.DOWNLOAD_INVALID_URL.code }));
    }
  });
});

describe("model host token", () => {
  test("from --token-file (first line) or HF_TOKEN, registered as a secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fabstir-token-"));
    writeFileSync(join(dir, "token"), "hf_fileToken123456\nignored\n");
    expect(await readModelHostToken({ HF_TOKEN: "hf_envToken987654" }, join(dir, "token"))).toBe("hf_fileToken123456");
    expect(redact("Bearer hf_fileToken123456")).not.toContain("hf_fileToken123456");
    expect(await readModelHostToken({ HF_TOKEN: " hf_envToken987654 " })).toBe("hf_envToken987654");
    expect(redact("hf_envToken987654")).not.toContain("hf_envToken987654");
    expect(await readModelHostToken({})).toBeNull();
    writeFileSync(join(dir, "empty"), "\n");
    await expect(readModelHostToken({}, join(dir, "empty"))).rejects.toMatchObject({ code: NodeErrors.TOKEN_FILE_UNREADABLE.code });
    await expect(readModelHostToken({}, join(dir, "absent"))).rejects.toMatchObject({ code: NodeErrors.TOKEN_FILE_UNREADABLE.code });
  });
});

describe("lookupModelHash", () => {
  const registry = new Interface(MODEL_REGISTRY_ABI as unknown as string[]);
  const hash = `0x${"c0ffee".padEnd(64, "0")}`;
  let rpc: ReturnType<typeof Bun.serve>;
  const calls: string[] = [];

  beforeAll(() => {
    rpc = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      async fetch(request) {
        const body = (await request.json()) as { id: number; method: string; params: Array<{ data: string }> };
        calls.push(body.method);
        if (body.method !== "eth_call") return Response.json({ jsonrpc: "2.0", id: body.id, error: { code: -32601, message: "no" } });
        const [id] = registry.decodeFunctionData("getModel", body.params[0]!.data);
        const known = id === modelIdFor(REPO, FILE);
        const result = registry.encodeFunctionResult("getModel", [
          [known ? REPO : "", known ? FILE : "", known ? hash : `0x${"0".repeat(64)}`, 1n, known, 1700000000n],
        ]);
        return Response.json({ jsonrpc: "2.0", id: body.id, result });
      },
    });
  });
  afterAll(() => {
    rpc.stop(true);
  });

  const config = () => {
    const c = resolveConfig(undefined, {}).config;
    c.rpcUrls = [`http://127.0.0.1:${rpc.port}`];
    return c;
  };
  const context = { services: defaultServices({ spawn, env: {} }), paths: pathsFor(tmpdir()), env: {} };

  test("reads getModel(keccak(repo/file)).sha256Hash from the registry", async () => {
    expect(await lookupModelHash(context, REPO, FILE, config())).toBe(hash.slice(2));
    expect(calls).toContain("eth_call");
  });

  test("an unknown model (zero hash) is null; an unreachable chain is MODEL_HASH_UNKNOWN", async () => {
    expect(await lookupModelHash(context, "other/repo", "x.gguf", config())).toBeNull();
    const offline = config();
    offline.rpcUrls = ["http://127.0.0.1:1"];
    await expect(lookupModelHash(context, REPO, FILE, offline)).rejects.toMatchObject({ code: NodeErrors.MODEL_HASH_UNKNOWN.code });
  });

  test("an override answers instead of the chain", async () => {
    const answer = await lookupModelHash(
      { ...context, services: { ...context.services, modelHashLookup: async () => `0x${"AB".repeat(32)}` } },
      REPO,
      FILE,
      config(),
    );
    expect(answer).toBe("ab".repeat(32));
    expect(normalizeSha256("0x" + "0".repeat(64))).toBeNull();
    expect(normalizeSha256("zz")).toBeNull();
  });
});

describe("downloadModel", () => {
  const body = testBytes(150_000, 9);
  let server: FileServer;
  beforeAll(async () => {
    server = await startFileServer({ [`/${REPO}/resolve/main/${FILE}`]: body });
  });
  afterAll(async () => {
    await server.close();
  });

  test("downloads into the models dir, then reuses the verified file", async () => {
    const modelsDir = mkdtempSync(join(tmpdir(), "fabstir-models-"));
    const common = {
      modelsDir,
      baseUrl: server.url,
      model: { repo: REPO, file: FILE },
      expectedSha256: sha256Hex(body),
      fetch: (i: string | URL | Request, init?: RequestInit) => fetch(i, init),
    };
    const first = await downloadModel(common);
    expect(first).toMatchObject({ path: join(modelsDir, FILE), size: body.length, alreadyPresent: false, model: `${REPO}:${FILE}` });
    expect(sha256Hex(readFileSync(first.path))).toBe(sha256Hex(body));
    expect((await downloadModel(common)).alreadyPresent).toBe(true);
  });

  test("a mismatch deletes the file and says so", async () => {
    const modelsDir = mkdtempSync(join(tmpdir(), "fabstir-models-"));
    const error = await downloadModel({
      modelsDir,
      baseUrl: server.url,
      model: { repo: REPO, file: FILE },
      expectedSha256: "d".repeat(64),
      fetch: (i, init) => fetch(i, init),
    }).catch((e) => e);
    expect(error.code).toBe(NodeErrors.CHECKSUM_MISMATCH.code);
    expect(error.message).toContain("deleted");
    expect(existsSync(join(modelsDir, FILE))).toBe(false);
    expect(existsSync(join(modelsDir, `${FILE}.partial`))).toBe(false);
  });
});
