import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createServer, type Server } from "node:net";
import { gpuCheck } from "../../../src/doctor/checks/gpu.ts";
import { nodeBinaryCheck, nodeVariantCheck } from "../../../src/doctor/checks/node-build.ts";
import { vramCheck } from "../../../src/doctor/checks/vram.ts";
import { diskCheck } from "../../../src/doctor/checks/disk.ts";
import { systemCheck } from "../../../src/doctor/checks/system.ts";
import { portsCheck, probePort } from "../../../src/doctor/checks/ports.ts";
import { publicUrlCheck } from "../../../src/doctor/checks/public-url.ts";
import { clockCheck } from "../../../src/doctor/checks/clock.ts";
import { keychainCheck } from "../../../src/doctor/checks/keychain.ts";
import { signerCheck } from "../../../src/doctor/checks/signer.ts";
import { configCheck } from "../../../src/doctor/checks/config.ts";
import { redact } from "../../../src/util/redact.ts";
import { fakeBuild } from "../node/helpers/fake-build.ts";
import { startFileServer, type FileServer } from "../node/helpers/file-server.ts";
import { GIB, doctorContext, fakeSystem, testConfig } from "./helpers.ts";
import type { GpuMachine } from "../../fixtures/gpu/fake-spawn.ts";
import { CoreErrors } from "../../../src/errors/codes/index.ts";

const MIB = 1024 * 1024;
let web: FileServer;
beforeAll(async () => {
  web = await startFileServer({ "/": "ok" });
});
afterAll(async () => {
  await web.close();
});

describe("gpu", () => {
  test("per fixture", async () => {
    expect(await gpuCheck.run(doctorContext({ machine: "nvidia-h100" }))).toMatchObject({
      status: "pass",
      summary: "1× NVIDIA H100 80GB HBM3 (79.6 GiB), driver 580.159.04, CUDA 13.0",
    });
    expect((await gpuCheck.run(doctorContext({ machine: "nvidia-4x-rtx4090" }))).status).toBe("pass");
    const failed = await gpuCheck.run(doctorContext({ machine: "nvidia-smi-failed" }));
    expect(failed).toMatchObject({ status: "fail" });
    expect(failed.fix).toContain("modprobe nvidia");
    const old = await gpuCheck.run(doctorContext({ machine: "nvidia-old-driver" }));
    expect(old.status).toBe("warn");
    expect(old.summary).toContain("too old");
    expect((await gpuCheck.run(doctorContext({ machine: "amd-rx7900xtx" }))).summary).toContain("no ROCm build");
    expect((await gpuCheck.run(doctorContext({ machine: "none" }))).summary).toContain("no GPU found");
  });
});

describe("node build", () => {
  test("binary installed or not", async () => {
    const ctx = doctorContext();
    expect(await nodeBinaryCheck.run(ctx)).toMatchObject({ status: "fail", fix: "Run `fabstir-host node install`." });
    fakeBuild(ctx.paths.nodeDir, "1.4.2", "cuda13");
    const result = await nodeBinaryCheck.run(ctx);
    expect(result.status).toBe("pass");
    expect(result.summary).toContain("1.4.2-cuda13 (newest installed)");
  });

  test("variant vs driver", async () => {
    // Variants exist only where a release manifest lists them.
    const withManifest = () => testConfig((c) => (c.node.manifestUrl = "https://example.invalid/manifest.json"));
    const on4090 = doctorContext({ machine: "nvidia-4x-rtx4090", config: withManifest() });
    fakeBuild(on4090.paths.nodeDir, "1.4.2", "cuda13");
    const tooNew = await nodeVariantCheck.run(on4090);
    expect(tooNew.status).toBe("fail");
    expect(tooNew.fix).toContain("--variant cuda12");

    const cpuOnH100 = doctorContext({ machine: "nvidia-h100", config: withManifest() });
    fakeBuild(cpuOnH100.paths.nodeDir, "1.4.2", "cpu");
    expect(await nodeVariantCheck.run(cpuOnH100)).toMatchObject({ status: "warn" });

    const fits = doctorContext({ machine: "nvidia-h100", config: withManifest() });
    fakeBuild(fits.paths.nodeDir, "1.4.2", "cuda13");
    expect((await nodeVariantCheck.run(fits)).status).toBe("pass");

    const noManifest = doctorContext({ machine: "nvidia-4x-rtx4090" });
    fakeBuild(noManifest.paths.nodeDir, "8.38.0", "cuda13");
    expect((await nodeVariantCheck.run(noManifest)).summary).toContain("one node build released is CUDA 13");

    expect((await nodeVariantCheck.run(doctorContext())).status).toBe("skip");
    expect((await nodeVariantCheck.run(doctorContext({ config: testConfig((c) => (c.node.binaryPath = "/bin/true")) }))).status).toBe("skip");
  });
});

describe("vram", () => {
  const model = "org/repo:model.gguf";
  const withModel = (machine: GpuMachine, sizeBytes: number | null) => {
    const ctx = doctorContext({ machine, config: testConfig((c) => (c.models = [model])) });
    // Sparse files: the size is what counts, no disk is used.
    if (sizeBytes !== null) {
      writeFileSync(join(ctx.paths.modelsDir, "model.gguf"), "");
      truncateSync(join(ctx.paths.modelsDir, "model.gguf"), sizeBytes);
    }
    return ctx;
  };

  test("no model, model not downloaded", async () => {
    expect((await vramCheck.run(doctorContext())).status).toBe("skip");
    const missing = await vramCheck.run(withModel("nvidia-h100", null));
    expect(missing).toMatchObject({ status: "warn", fix: `Run \`fabstir-host models download ${model}\`.` });
  });

  test("fits, does not fit, fits only with memory others hold", async () => {
    expect((await vramCheck.run(withModel("nvidia-h100", 8 * GIB))).status).toBe("pass");
    const tooBig = await vramCheck.run(withModel("nvidia-h100", 70 * GIB));
    expect(tooBig.status).toBe("fail");
    expect(tooBig.summary).toContain("needs ~84.0 GiB");
    // 4× 4090: 98,256 MiB total, 96,107 MiB free.
    const tight = await vramCheck.run(withModel("nvidia-4x-rtx4090", 81_000 * MIB));
    expect(tight.status).toBe("warn");
    expect(tight.summary).toContain("4 GPUs together have");
  });

  test("CPU hosts compare with RAM", async () => {
    const result = await vramCheck.run(withModel("none", 8 * GIB));
    expect(result.status).toBe("pass");
    expect(result.summary).toContain("on the CPU");
    const big = withModel("none", 120 * GIB);
    expect((await vramCheck.run(big)).status).toBe("fail");
  });
});

describe("system", () => {
  test("CPU and RAM, with a warning for small machines", async () => {
    const big = await systemCheck.run(doctorContext());
    expect(big).toMatchObject({ status: "pass", summary: "16 cores (AMD EPYC 9454), 128 GiB RAM, linux-x64" });
    const small = await systemCheck.run(doctorContext({ extra: { system: async () => fakeSystem({ ramTotalBytes: 4 * GIB }) } }));
    expect(small.status).toBe("warn");
  });
});

describe("disk", () => {
  test("thresholds", async () => {
    const at = (freeBytes: number | null) =>
      diskCheck.run(
        doctorContext({ extra: { system: async () => fakeSystem({ disk: freeBytes === null ? null : { path: "/srv", freeBytes, totalBytes: 1000 * GIB } }) } }),
      );
    expect((await at(500 * GIB)).status).toBe("pass");
    expect((await at(5 * GIB)).status).toBe("warn");
    expect((await at(GIB)).status).toBe("fail");
    expect((await at(null)).status).toBe("skip");
  });
});

describe("ports", () => {
  let held: Server;
  let heldPort = 0;
  beforeAll(async () => {
    held = createServer();
    await new Promise<void>((resolve) => held.listen(0, "127.0.0.1", resolve));
    heldPort = (held.address() as { port: number }).port;
  });
  afterAll(() => {
    held.close();
  });

  test("probePort sees a held port, and a free one", async () => {
    expect(await probePort(heldPort, "0.0.0.0", "tcp")).toBe(false);
    expect(await probePort(heldPort, "127.0.0.1", "tcp")).toBe(false);
    held.close();
    await Bun.sleep(10);
    expect(await probePort(heldPort, "127.0.0.1", "tcp")).toBe(true);
    await new Promise<void>((resolve) => held.listen(heldPort, "127.0.0.1", resolve));
  });

  test("a busy port fails, unless the host itself runs", async () => {
    const config = testConfig((c) => (c.node.apiPort = heldPort));
    const busy = (port: number) => port !== heldPort;
    const ctx = doctorContext({ config, extra: { portFree: async (port) => busy(port) } });
    const result = await portsCheck.run(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toContain(`API ${heldPort}/tcp`);
    expect((await portsCheck.run({ ...ctx, hostRunning: async () => true })).status).toBe("pass");
    expect((await portsCheck.run({ ...ctx, portFree: async (port) => (port === 9002 ? "denied" : true) })).status).toBe("fail");
    expect((await portsCheck.run({ ...ctx, portFree: async () => true })).summary).toContain("P2P+2 9002/udp");
  });
});

describe("public URL", () => {
  const at = (publicUrl: string | null, network: "base-sepolia" | "local" = "base-sepolia", running = false) =>
    publicUrlCheck.run(doctorContext({ config: testConfig((c) => Object.assign(c, { publicUrl, network })), extra: { hostRunning: async () => running } }));

  test("missing, reachable, private, unreachable", async () => {
    expect((await at(null)).status).toBe("warn");
    expect((await at(web.url, "local")).status).toBe("pass");
    expect((await at(web.url)).summary).toContain("private address");
    const down = await at("http://127.0.0.1:1/");
    expect(down.status).toBe("warn");
    expect(down.summary).toContain("expected while the host is not started");
    expect((await at("http://127.0.0.1:1/", "base-sepolia", true)).status).toBe("fail");
  });
});

describe("clock", () => {
  const at = async (skewMs: number | null) => {
    web.reset();
    web.mode.clockBehindMs = skewMs;
    return clockCheck.run(doctorContext({ config: testConfig((c) => (c.rpcUrls = [web.url])) }));
  };

  test("in sync, a little off, far off", async () => {
    expect(await at(0)).toMatchObject({ status: "pass", summary: "within a second of the RPC server's clock" });
    const warn = await at(30_000);
    expect(warn.status).toBe("warn");
    expect(warn.summary).toMatch(/^(29|30|31) s ahead of/);
    expect((await at(-5 * 60_000)).status).toBe("fail");
    web.reset();
  });

  test("no RPC, unreachable RPC", async () => {
    expect((await clockCheck.run(doctorContext({ config: testConfig((c) => (c.rpcUrls = [])) }))).status).toBe("skip");
    expect((await clockCheck.run(doctorContext({ config: testConfig((c) => (c.rpcUrls = ["http://127.0.0.1:1"])) }))).status).toBe("skip");
  });
});

describe("keychain", () => {
  const at = (probe: { ok: boolean; store?: string; persistent?: boolean; reason?: string } | undefined, backend: "keychain" | "keystore" | null = null) =>
    keychainCheck.run(
      doctorContext({
        config: testConfig((c) => (c.wallet = backend ? { address: "0x0000000000000000000000000000000000000001", backend } : null)),
        extra: { keychainProbe: probe ? async () => probe : undefined },
      }),
    );

  test("pass, warn, fail depending on whether the wallet relies on it", async () => {
    expect((await at({ ok: true, store: "secret-service", persistent: true })).status).toBe("pass");
    expect((await at({ ok: true, store: "keyutils", persistent: false }, "keychain")).status).toBe("warn");
    const unavailable = await at({ ok: false, reason: "secret-service: DBus error; keyutils: AccessDenied" });
    expect(unavailable.status).toBe("warn");
    // The reason must survive the redactor (it looks like "name: value").
    expect(redact(unavailable.summary)).toContain("DBus error");
    expect((await at({ ok: false, reason: "locked" }, "keychain")).status).toBe("fail");
    expect((await at(undefined)).status).toBe("skip");
  });
});

describe("signer and config", () => {
  test("signer = node is a warning that says what is exposed", async () => {
    const node = await signerCheck.run(doctorContext({ config: testConfig((c) => (c.node.signer = "node")) }));
    expect(node.status).toBe("warn");
    expect(node.summary).toContain("HOST_PRIVATE_KEY");
    expect(node.summary).toContain("root");
    expect((await signerCheck.run(doctorContext({ config: testConfig((c) => (c.node.signer = "cli")) }))).status).toBe("pass");
  });

  test("config states", async () => {
    expect((await configCheck.run(doctorContext())).status).toBe("pass");
    const fresh = doctorContext();
    fresh.configState = { fileExists: false, error: null };
    expect((await configCheck.run(fresh)).fix).toBe("Run `fabstir-host init`.");
    const broken = doctorContext({ config: null });
    broken.configState = {
      fileExists: true,
      error: { code: CoreErrors.CONFIG_PARSE.code, message: "config.json is not valid JSON.", hint: "Try: fabstir-host config restore --list" },
    };
    expect(await configCheck.run(broken)).toMatchObject({ status: "fail", fix: "Run `fabstir-host config restore --list`." });
    expect((await portsCheck.run(broken)).status).toBe("skip");
  });
});
