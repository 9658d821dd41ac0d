/**
 * Two models, two nodes (node stand-ins as child processes), one front on the devnet: every session goes to the node
 * of its job's model (read on chain with sessionModel), is proven and paid at that model's own price, HTTP inference
 * that names a job goes the same way, and a job for a model no node serves is refused at the front, in the node's
 * error shape, before any node sees it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, Wallet, ZeroAddress } from "ethers";
import { openSession, DEVNET_HOOK_TIMEOUT_MS } from "../../helpers/devnet.ts";
import { FrameClient, startSim } from "../node-sim/harness.ts";
import {
  hostConfig,
  hostEarnings,
  netEarnings,
  openClient,
  promptAll,
  simEnvFor,
  startProofDevnet,
  waitForSettlement,
  type ProofDevnet,
} from "../proof/fixtures/devnet-host.ts";
import { connectChain, type ChainClient } from "../../../src/chain/index.ts";
import { startSessionServices, type SessionServices } from "../../../src/session/services.ts";
import { createJobRouter, type NodeDirectory } from "../../../src/session/router.ts";
import { modelIdFor } from "../../../src/node/models/lookup-hash.ts";
import { systemClock } from "../../../src/util/clock.ts";
import { createNullLogger } from "../../../src/ops/logging/logger.ts";

const PRICE_A = 3_000_000n;
const PRICE_B = 4_500_000n;
const UNSERVED = { repo: "org/unserved-GGUF", file: "unserved.q4.gguf" };

let net: ProofDevnet;
let chain: ChainClient;
let services: SessionServices;
let models: { a: string; b: string; c: string };
const sims: Awaited<ReturnType<typeof startSim>>[] = [];
const dir = mkdtempSync(join(tmpdir(), "routing-models-"));

beforeAll(async () => {
  net = await startProofDevnet();
  const { deployment, provider } = net.devnet;
  const [a, b] = deployment.models as [(typeof deployment.models)[number], (typeof deployment.models)[number]];
  models = { a: a.id.toLowerCase(), b: b.id.toLowerCase(), c: modelIdFor(UNSERVED.repo, UNSERVED.file).toLowerCase() };
  // The host lists a third model on chain and prices the second one higher: no node here loads the third.
  const registry = new Contract(
    deployment.contracts.modelRegistry,
    deployment.abis.ModelRegistry,
    new Wallet(deployment.accounts.deployer.privateKey, provider),
  );
  await (await registry.getFunction("addTrustedModel")(UNSERVED.repo, UNSERVED.file, `0x${"11".repeat(32)}`)).wait();
  const nodes = new Contract(
    deployment.contracts.nodeRegistry,
    deployment.abis.NodeRegistryWithModels,
    new Wallet(deployment.accounts.host.privateKey, provider),
  );
  await (await nodes.getFunction("updateSupportedModels")([a.id, b.id, models.c])).wait();
  await (await nodes.getFunction("setModelTokenPricing")(b.id, ZeroAddress, PRICE_B)).wait();
  await (await nodes.getFunction("setModelTokenPricing")(models.c, ZeroAddress, PRICE_A)).wait();

  for (const model of [a, b]) {
    const path = join(dir, model.file);
    writeFileSync(path, `GGUF fake ${model.file}`);
    sims.push(await startSim(simEnvFor(net, "cli", { MODEL_PATH: path })));
  }
  const upstream: Record<string, string> = { [models.a]: sims[0]!.baseUrl, [models.b]: sims[1]!.baseUrl };
  const directory: NodeDirectory = {
    upstreams: (id) => (upstream[id] ? [upstream[id]!] : []),
    servedModels: () => Object.keys(upstream),
    fallback: () => sims[0]!.baseUrl,
  };
  const config = hostConfig(net, "cli");
  chain = connectChain(config, {});
  const jobs = chain.contracts.jobMarketplace;
  services = await startSessionServices({
    config,
    chain,
    signer: new Wallet(deployment.accounts.host.privateKey),
    stateDir: mkdtempSync(join(dir, "state-")),
    nodeUrl: sims[0]!.baseUrl,
    hostname: "127.0.0.1",
    port: 0,
    clock: systemClock,
    fetch: (input, init) => fetch(input, init),
    logger: createNullLogger(),
    router: createJobRouter({ nodes: directory, sessionModel: (jobId) => jobs.sessionModel(jobId) }),
  });
}, DEVNET_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await services?.stop({ drainMs: 0 });
  chain?.close();
  for (const sim of sims) await sim.kill();
  await net?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Which stand-in served the session: only that node has a checkpoint index for it. */
async function nodesWithSession(sessionId: string): Promise<number[]> {
  const found: number[] = [];
  for (const [index, sim] of sims.entries()) if ((await fetch(`${sim.baseUrl}/sim/sessions/${sessionId}`)).status === 200) found.push(index); // the stand-in knows the session
  return found;
}

describe("a host with two models and two nodes", () => {
  test("each job is answered by its model's node, proven, and paid at that model's price", async () => {
    const { deployment, provider } = net.devnet;
    const before = await hostEarnings(net, "ETH");
    const jobA = await openSession(deployment, provider, { modelId: deployment.models[0]!.id, pricePerToken: PRICE_A });
    const jobB = await openSession(deployment, provider, { modelId: deployment.models[1]!.id, pricePerToken: PRICE_B });
    const clientA = await openClient(services.front.port, "route-a", { type: "session_init", job_id: Number(jobA) });
    const clientB = await openClient(services.front.port, "route-b", { type: "session_init", job_id: Number(jobB) });
    expect(await promptAll(clientA, "route-a", [300])).toBe(300);
    expect(await promptAll(clientB, "route-b", [200])).toBe(200);
    expect(await nodesWithSession("route-a")).toEqual([0]);
    expect(await nodesWithSession("route-b")).toEqual([1]);
    // The greeting comes once, from the front, in the node's words.
    expect(clientA.framesOfType("connected")).toHaveLength(1);
    await clientA.close();
    await clientB.close();
    const settledA = await waitForSettlement(net, jobA);
    const settledB = await waitForSettlement(net, jobB);
    expect({ status: settledA.status, tokens: settledA.tokensUsed, price: settledA.pricePerToken }).toEqual({ status: 1, tokens: 300, price: PRICE_A });
    expect({ status: settledB.status, tokens: settledB.tokensUsed, price: settledB.pricePerToken }).toEqual({ status: 1, tokens: 200, price: PRICE_B });
    expect((await hostEarnings(net, "ETH")) - before).toBe(netEarnings(settledA) + netEarnings(settledB));
  }, 90_000);

  test("HTTP inference that names a job goes to its model's node", async () => {
    const { deployment, provider } = net.devnet;
    const jobB = await openSession(deployment, provider, { modelId: deployment.models[1]!.id, pricePerToken: PRICE_B });
    const response = await fetch(`http://127.0.0.1:${services.front.port}/v1/inference`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "hello", max_tokens: 5, job_id: Number(jobB) }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { model: string }).model).toBe(deployment.models[1]!.file);
    // A request that names no job goes to the first node, as with one node.
    const loaded = (await (await fetch(`http://127.0.0.1:${services.front.port}/sim/model`)).json()) as { modelFile: string };
    expect(loaded.modelFile).toBe(deployment.models[0]!.file);
  }, 30_000);

  test("a job for a model no node serves is refused at the front, and no node sees it", async () => {
    const { deployment, provider } = net.devnet;
    const jobC = await openSession(deployment, provider, { modelId: models.c, pricePerToken: PRICE_A });
    const client = await FrameClient.connect(services.front.port);
    await client.waitFor((f) => f.type === "connected");
    client.send({ type: "session_init", session_id: "route-c", job_id: jobC.toString(), chain_id: 31337, id: "req-7" });
    const error = await client.waitFor((f) => f.type === "error");
    // Keys in the node's order (serde_json maps are sorted), the request id echoed.
    expect(Object.keys(error)).toEqual(["code", "id", "message", "session_id", "type"]);
    expect(error).toMatchObject({ code: "MODEL_NOT_SERVED", id: "req-7", session_id: "route-c" });
    expect(String(error.message)).toContain(models.c);
    expect(await client.closed()).toBe(1008);
    expect(await nodesWithSession("route-c")).toEqual([]);
    // The same job over HTTP: refused with the same code.
    const response = await fetch(`http://127.0.0.1:${services.front.port}/v1/inference`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "hi", max_tokens: 3, jobId: jobC.toString() }),
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe("MODEL_NOT_SERVED");
  }, 30_000);
});
