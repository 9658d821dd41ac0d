/**
 * Changing a live registration through the commands, checked on chain: the URL (after the URL answers), the models
 * (new ones priced in the same run), the metadata (merged, publicKey kept).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEVNET_HOOK_TIMEOUT_MS, devnetContracts, devnetWallet, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { chainPrice, nodeInfo, registeredHost } from "../helpers/host-env.ts";
import { HostErrors } from "../../../src/errors/codes/index.ts";

let devnet: TestDevnet;
let server: Server;
let serverUrl: string;
const probes: string[] = [];

beforeAll(async () => {
  devnet = await startTestDevnet();
  server = createServer((req, res) => {
    probes.push(req.url ?? "");
    res.writeHead(404).end("not here"); // any answer counts: the host is reachable
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await devnet?.stop();
});

describe("update", () => {
  test("url: checks that it answers, publishes it, writes the config; the same URL again sends nothing", async () => {
    const env = await registeredHost(devnet);
    const nonce = await env.nonce();
    const result = await env.run(["update", "url", serverUrl, "--yes", "--json"]);
    expect(result.code).toBe(0);
    expect(probes).toContain("/health");
    expect(result.json().data.answered).toBe(404);
    expect((await nodeInfo(env)).apiUrl).toBe(serverUrl);
    expect(env.config().publicUrl).toBe(serverUrl);
    expect(await env.nonce()).toBe(nonce + 1);
    const again = await env.run(["update", "url", `${serverUrl}/`, "--yes"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already has");
    expect(await env.nonce()).toBe(nonce + 1);
  });

  test("url: one that does not answer is refused unless --no-check", async () => {
    const env = await registeredHost(devnet);
    const nonce = await env.nonce();
    const dead = "http://127.0.0.1:9"; // discard port: nothing listens
    const refused = await env.run(["update", "url", dead, "--yes"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(HostErrors.URL_UNREACHABLE.code);
    expect(refused.stderr).toContain("--no-check");
    expect(await env.nonce()).toBe(nonce);
    const forced = await env.run(["update", "url", dead, "--no-check", "--yes"]);
    expect(forced.code).toBe(0);
    expect((await nodeInfo(env)).apiUrl).toBe(dead);
  });

  test("models: adds a model and prices it for ETH and USDC in the same run", async () => {
    const env = await registeredHost(devnet, {
      models: [`${devnet.deployment.models[0]!.repo}:${devnet.deployment.models[0]!.file}`],
      prices: { "*": { usdc: "9000", eth: "3000000" } },
    });
    const [first, second] = env.models;
    expect((await nodeInfo(env)).models).toEqual([first!.id]);
    expect(await chainPrice(env, second!.id, "usdc")).toBe(0n);
    const result = await env.run(["update", "models", env.ref(0), env.ref(1), "--yes", "--json"]);
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data.added).toEqual([env.ref(1)]);
    expect(data.sent.map((tx: { kind: string }) => tx.kind)).toEqual(["update-models", "price", "price"]);
    expect((await nodeInfo(env)).models).toEqual([first!.id, second!.id]);
    expect(await chainPrice(env, second!.id, "usdc")).toBe(9000n);
    expect(await chainPrice(env, second!.id, "eth")).toBe(3_000_000n);
    expect(env.config().models).toEqual([env.ref(0), env.ref(1)]);
  });

  test("metadata: merges into what the chain holds, refreshes hardware, keeps publicKey, writes the config", async () => {
    const env = await registeredHost(devnet);
    const before = JSON.parse((await nodeInfo(env)).metadata);
    const result = await env.run([
      "update",
      "metadata",
      "--location",
      "us-east",
      "--max-concurrent",
      "12",
      "--set",
      "region=us",
      "--set",
      'hardware.cpu="EPYC"',
      "--yes",
    ]);
    expect(result.code).toBe(0);
    const after = JSON.parse((await nodeInfo(env)).metadata);
    expect(after).toMatchObject({ location: "us-east", maxConcurrent: 12, region: "us", publicKey: before.publicKey });
    expect(after.hardware).toMatchObject({ ...before.hardware, cpu: "EPYC" });
    expect(env.config().host).toMatchObject({ location: "us-east", maxConcurrent: 12 });
  });

  test("metadata: a publicKey lost on chain is put back; --set publicKey is refused", async () => {
    const env = await registeredHost(devnet);
    const { nodeRegistry } = devnetContracts(devnet.deployment, devnetWallet(env.account, devnet.provider));
    const original = JSON.parse((await nodeInfo(env)).metadata);
    await (await nodeRegistry.getFunction("updateMetadata")(JSON.stringify({ hardware: { gpu: "old" } }))).wait();
    const refused = await env.run(["update", "metadata", "--set", "publicKey=0x00", "--yes"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(HostErrors.METADATA_INVALID.code);
    const result = await env.run(["update", "metadata", "--yes"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("lacks this host's publicKey");
    expect(JSON.parse((await nodeInfo(env)).metadata).publicKey).toBe(original.publicKey);
  });
});
