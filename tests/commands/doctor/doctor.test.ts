import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { makeTestContext, runCli } from "../../helpers/context.ts";
import { gpuSpawn, type GpuMachine } from "../../fixtures/gpu/fake-spawn.ts";
import { fakeBuild } from "../../unit/node/helpers/fake-build.ts";
import { startFileServer, type FileServer } from "../../unit/node/helpers/file-server.ts";
import { createMemoryKeyringClient } from "../../../src/wallet/keyring-client.ts";

let web: FileServer;
let held: Server;
let heldPort = 0;

beforeAll(async () => {
  web = await startFileServer({ "/": "front" });
  held = createServer();
  await new Promise<void>((resolve) => held.listen(0, "127.0.0.1", resolve));
  heldPort = (held.address() as { port: number }).port;
});
afterAll(async () => {
  await web.close();
  await new Promise<void>((resolve) => held.close(() => resolve()));
});

/** Ports that are free now (bound and released), with room for P2P+1 and +2. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

function setup(machine: GpuMachine, config: Record<string, unknown>, keyringAvailable = true) {
  const context = makeTestContext({
    spawn: gpuSpawn(machine),
    services: { keyring: createMemoryKeyringClient({ available: keyringAvailable }), hostRunning: async () => false },
  });
  mkdirSync(context.paths.home, { recursive: true });
  writeFileSync(context.paths.configFile, JSON.stringify({ version: 1, ...config }));
  return context;
}

describe("doctor", () => {
  test("a healthy H100 host: every machine check passes, every check in --json", async () => {
    const [api, internal, p2p] = [await freePort(), await freePort(), await freePort()];
    const context = setup("nvidia-h100", {
      network: "base-sepolia",
      rpcUrls: [web.url],
      publicUrl: "https://host.example.org:8080",
      models: ["org/repo:model.gguf"],
      node: { signer: "cli", apiPort: api, internalPort: internal, p2pPort: p2p },
      s5: { url: "http://127.0.0.1:5522" },
    });
    // The public URL answers through a fetch that maps the public name onto the local server.
    context.fetch = (input, init) => fetch(String(input).replace("https://host.example.org:8080", web.url), init);
    fakeBuild(context.paths.nodeDir, "1.4.2", "cuda13");
    mkdirSync(context.paths.modelsDir, { recursive: true });
    writeFileSync(join(context.paths.modelsDir, "model.gguf"), "weights");

    const result = await runCli(["doctor", "--json"], context);
    const data = result.json().data;
    // The chain-backed checks (rpc, wallet, balances, registration, economics) run in every doctor; they are tested against the
    // devnet in tests/commands/host-ops. Here only the machine's own checks are judged.
    const chainChecks = ["rpc", "wallet", "balances", "registration", "economics"];
    expect(data.checks.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(chainChecks));
    const statuses = Object.fromEntries(
      data.checks.filter((c: { id: string }) => !chainChecks.includes(c.id)).map((c: { id: string; status: string }) => [c.id, c.status]),
    );
    expect(statuses).toEqual({
      config: "pass",
      system: expect.stringMatching(/pass|warn/),
      gpu: "pass",
      "node-binary": "pass",
      // No release manifest is published: no variant to choose (node-cuda judges the CUDA 13 build instead).
      "node-variant": "skip",
      vram: "pass",
      "node-instances": "pass",
      disk: expect.stringMatching(/pass|warn/),
      ports: "pass",
      "public-url": "pass",
      clock: "pass",
      keychain: "pass",
      signer: "pass",
      // The fake build is a shell script (ldd: not a dynamic executable), and the host is not running.
      "node-cuda": "skip",
      "node-exposure": "skip",
      "node-signer-chain": "pass",
      s5: "pass",
      // A keyless node refuses the SDK's encrypted sessions: said even on a healthy machine.
      "encrypted-sessions": "warn",
    });
    // Healthy as a machine; `healthy` and the exit code also count the chain checks, which fail without a chain here.
    const failing = data.checks.filter((c: { status: string }) => c.status === "fail").map((c: { id: string }) => c.id);
    expect(failing.every((id: string) => chainChecks.includes(id))).toBe(true);
    expect(result.code).toBe(failing.length === 0 ? 0 : 1);
    const gpu = data.checks.find((c: { id: string }) => c.id === "gpu");
    expect(gpu.details).toMatchObject({ kind: "nvidia", count: 1, cudaVersion: "13.0", driverVersion: "580.159.04" });
  });

  test("a broken host: failing driver, no node, a held port, skewed clock, locked keychain → exit 1 with fixes", async () => {
    web.mode.clockBehindMs = 10 * 60_000;
    try {
      const context = setup(
        "nvidia-smi-failed",
        {
          network: "base-sepolia",
          rpcUrls: [web.url],
          wallet: { address: "0x00000000000000000000000000000000000000aa", backend: "keychain" },
          node: { signer: "node", apiPort: heldPort },
        },
        false,
      );
      const result = await runCli(["doctor"], context);
      expect(result.code).toBe(1);
      const out = result.stdout;
      expect(out).toMatch(/FAIL\s+GPU and driver\s+nvidia-smi failed: NVIDIA-SMI has failed/);
      expect(out).toMatch(/FAIL\s+Node binary installed/);
      expect(out).toMatch(new RegExp(`FAIL\\s+Ports free\\s+in use by another program: API ${heldPort}/tcp`));
      expect(out).toMatch(/FAIL\s+Clock in sync\s+(599|600|601) s ahead/);
      expect(out).toMatch(/FAIL\s+OS keychain/);
      expect(out).toMatch(/WARN\s+Checkpoint signer\s+node.signer = node/);
      expect(out).toContain("How to fix:");
      expect(out).toContain("Run `fabstir-host node install`.");
      expect(out).toContain("timedatectl set-ntp true");
      // Five machine checks fail here (the chain-backed ones fail too, against a server that is not an RPC).
      for (const title of ["GPU and driver", "Node binary installed", "Ports free", "Clock in sync", "OS keychain"])
        expect(out).toMatch(new RegExp(`FAIL\\s+${title}`));
      expect(out).toMatch(/\d+ passed, \d+ warnings?, \d+ failed/);

      const json = await runCli(["doctor", "--json", "--only", "gpu,ports"], context);
      expect(json.code).toBe(1);
      expect(json.json().data.checks.map((c: { id: string }) => c.id)).toEqual(["gpu", "ports"]);
      expect(json.json().data.counts.fail).toBe(2);
    } finally {
      web.reset();
    }
  });

  test("without any config file doctor still runs and says to run init", async () => {
    const context = makeTestContext({ spawn: gpuSpawn("none"), services: { keyring: createMemoryKeyringClient(), portFree: async () => true } });
    const result = await runCli(["doctor", "--json", "--only", "config,gpu,ports,public-url"], context);
    const checks = result.json().data.checks;
    expect(checks.map((c: { status: string }) => c.status)).toEqual(["warn", "warn", "pass", "warn"]);
    expect(checks[0].fix).toBe("Run `fabstir-host init`.");
    expect(result.code).toBe(0);
  });

  test("a broken config file is one failing line, not a crash", async () => {
    const context = setup("none", {});
    writeFileSync(context.paths.configFile, "{ not json");
    const result = await runCli(["doctor", "--only", "config,gpu"], context);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL\s+Configuration\s+.*not valid JSON/);
  });
});
