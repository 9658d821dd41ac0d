/**
 * Changing a live registration through the commands, checked on chain: the URL (after the URL answers), the models
 * (new ones priced in the same run), the metadata (merged, publicKey kept), prices, stake, and unregistering.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Contract } from "ethers";
import { DEVNET_HOOK_TIMEOUT_MS, devnetContracts, devnetWallet, openSession, startTestDevnet, type TestDevnet } from "../../helpers/devnet.ts";
import { scriptedPrompter } from "../../helpers/context.ts";
import { chainPrice, nodeInfo, registeredHost } from "./host-env.ts";

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
    expect(refused.stderr).toContain("FH0312");
    expect(refused.stderr).toContain("--no-check");
    expect(await env.nonce()).toBe(nonce);
    const forced = await env.run(["update", "url", dead, "--no-check", "--yes"]);
    expect(forced.code).toBe(0);
    expect((await nodeInfo(env)).apiUrl).toBe(dead);
  });

  test("models: adds a model and prices it for ETH and USDC in the same run", async () => {
    const env = await registeredHost(devnet, { models: [`${devnet.deployment.models[0]!.repo}:${devnet.deployment.models[0]!.file}`], prices: { "*": { usdc: "9000", eth: "3000000" } } });
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
    const result = await env.run(["update", "metadata", "--location", "us-east", "--max-concurrent", "12", "--set", "region=us", "--set", "hardware.cpu=\"EPYC\"", "--yes"]);
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
    expect(refused.stderr).toContain("FH0315");
    const result = await env.run(["update", "metadata", "--yes"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("lacks this host's publicKey");
    expect(JSON.parse((await nodeInfo(env)).metadata).publicKey).toBe(original.publicKey);
  });
});

describe("pricing", () => {
  test("set: human units converted exactly, every served model, chain and config", async () => {
    const env = await registeredHost(devnet);
    const result = await env.run(["pricing", "set", "--usdc", "2.5", "--eth", "0.000003", "--yes"]);
    expect(result.code).toBe(0);
    for (const model of env.models) {
      expect(await chainPrice(env, model.id, "usdc")).toBe(2500n);
      expect(await chainPrice(env, model.id, "eth")).toBe(3_000_000_000_000n);
    }
    expect(env.config().prices).toEqual({ "*": { usdc: "2500", eth: "3000000000000" } });
  });

  test("set --model, then show lists human, raw and the bounds", async () => {
    const env = await registeredHost(devnet);
    expect((await env.run(["pricing", "set", "--model", env.ref(1), "--usdc", "10", "--yes"])).code).toBe(0);
    expect(await chainPrice(env, env.models[1]!.id, "usdc")).toBe(10_000n);
    expect(await chainPrice(env, env.models[0]!.id, "usdc")).toBe(5000n);
    expect(env.config().prices[env.ref(1)]).toEqual({ usdc: "10000" });
    const show = await env.run(["pricing", "show", "--json"]);
    expect(show.code).toBe(0);
    const view = show.json().data;
    expect(view.bounds.usdc).toMatchObject({ min: "1", max: "100000000", minHuman: "0.001", maxHuman: "100000" });
    const row = view.rows.find((r: { model: string; token: string }) => r.model === env.ref(1) && r.token === "usdc");
    expect(row).toMatchObject({ served: true, onChain: "10000", onChainHuman: "10", configuredFrom: "model" });
    expect(view.missing).toBe(0);
    const text = await env.run(["pricing", "show"]);
    expect(text.stdout).toContain("USDC bounds: 0.001 to 100000 USD per million tokens");
  });

  test("clear: the pair has no price any more; show flags it", async () => {
    const env = await registeredHost(devnet);
    const result = await env.run(["pricing", "clear", "--model", env.ref(0), "--token", "usdc", "--yes"]);
    expect(result.code).toBe(0);
    expect(await chainPrice(env, env.models[0]!.id, "usdc")).toBe(0n);
    expect(await chainPrice(env, env.models[0]!.id, "eth")).toBe(2_000_000_000_000n);
    const show = await env.run(["pricing", "show"]);
    expect(show.stdout).toContain("NONE (sessions revert)");
    // register puts the configured price back: the most common host failure, repaired
    const repair = await env.run(["register", "--yes", "--json"]);
    expect(repair.json().data.status).toBe("completed");
    expect(await chainPrice(env, env.models[0]!.id, "usdc")).toBe(5000n);
  });
});

describe("stake and unregister", () => {
  test("stake add: approve then stake, exact FAB units", async () => {
    const env = await registeredHost(devnet);
    const result = await env.run(["stake", "add", "250.5", "--yes", "--json"]);
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data.sent.map((tx: { kind: string }) => tx.kind)).toEqual(["approve", "stake"]);
    expect(data.afterFab).toBe("1250.5");
    expect((await nodeInfo(env)).stake).toBe(1250_500_000_000_000_000_000n);
  });

  test("unregister: warns about an active session, asks for the address tail, shows the stake returned", async () => {
    const env = await registeredHost(devnet);
    const jobId = await openSession(devnet.deployment, devnet.provider, { host: env.account.address, pricePerToken: 2_000_000_000_000n, deposit: 10n ** 16n });
    const fabBefore = BigInt(await (devnetContracts(devnet.deployment, devnet.provider).fabToken as Contract).getFunction("balanceOf")(env.account.address));
    const tail = env.account.address.slice(-6).toLowerCase();

    const wrong = await env.run(["unregister"], { tty: true, prompter: scriptedPrompter({ "to unregister": "abcdef" }) });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("FH0313");
    expect(wrong.stderr).toContain(`1 session is still active for this host (job ${jobId})`);
    expect((await nodeInfo(env)).operator).toBe(env.account.address);

    const result = await env.run(["unregister", "--json"], { tty: true, prompter: scriptedPrompter({ "to unregister": tail.toUpperCase() }) });
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data.returnedFab).toBe("1000");
    expect(data.activeSessions).toEqual([jobId.toString()]);
    expect((await nodeInfo(env)).operator).toBe("0x0000000000000000000000000000000000000000");
    const fabAfter = BigInt(await (devnetContracts(devnet.deployment, devnet.provider).fabToken as Contract).getFunction("balanceOf")(env.account.address));
    expect(fabAfter - fabBefore).toBe(1000n * 10n ** 18n);

    // Registering again after unregistering: the earlier cycle's intents are done, new ones are sent.
    const again = await env.run(["register", "--yes", "--json"]);
    expect(again.code).toBe(0);
    expect(again.json().data.status).toBe("registered");
    expect((await nodeInfo(env)).stake).toBe(1000n * 10n ** 18n);
  });
});
