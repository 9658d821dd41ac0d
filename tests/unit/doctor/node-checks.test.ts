/** Doctor checks about the node as it really runs: S5, its signer's chain, its open port, its CUDA libraries and driver, keyless mode. */
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { s5Check } from "../../../src/doctor/checks/s5.ts";
import { nodeSignerChainCheck } from "../../../src/doctor/checks/node-chain.ts";
import { encryptedSessionsCheck } from "../../../src/doctor/checks/encrypted-sessions.ts";
import { makeNodeExposureCheck, tcpAnswers } from "../../../src/doctor/checks/node-exposure.ts";
import { makeNodeCudaCheck, parseLdd, systemLdd } from "../../../src/doctor/checks/node-cuda.ts";
import { builtinChecks } from "../../../src/doctor/checks/index.ts";
import { fakeBuild } from "../node/helpers/fake-build.ts";
import { doctorContext, testConfig } from "./helpers.ts";
import type { GpuMachine } from "../../fixtures/gpu/fake-spawn.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dir, "../../fixtures/node", name), "utf8");

describe("registered", () => {
  test("the node checks run in every doctor", () => {
    const ids = builtinChecks().map((c) => c.id);
    for (const id of ["node-cuda", "s5", "node-signer-chain", "node-exposure", "encrypted-sessions"]) expect(ids).toContain(id);
  });
});

describe("s5", () => {
  test("unset: says what the host loses; set: passes with the URL", async () => {
    const missing = await s5Check.run(doctorContext());
    expect(missing.status).toBe("warn");
    expect(missing.summary).toContain("never reach S5");
    expect(missing.summary).toContain("lost when the node restarts");
    expect(missing.fix).toContain("config set s5.url");
    const set = await s5Check.run(doctorContext({ config: testConfig((c) => (c.s5 = { url: "http://127.0.0.1:5522" })) }));
    expect(set).toMatchObject({ status: "pass", details: { url: "http://127.0.0.1:5522" } });
  });
});

describe("node-signer-chain", () => {
  test("node mode passes on 84532 only; cli mode always", async () => {
    const on = (chainId: number, signer: "node" | "cli") =>
      nodeSignerChainCheck.run(doctorContext({ config: testConfig((c) => ((c.chainId = chainId), (c.node.signer = signer))) }));
    expect((await on(84532, "node")).status).toBe("pass");
    const devnet = await on(31337, "node");
    expect(devnet.status).toBe("warn");
    expect(devnet.summary).toContain("for chain 84532 only");
    expect(devnet.fix).toContain("config set node.signer cli");
    expect((await on(8453, "node")).status).toBe("warn");
    expect((await on(31337, "cli")).status).toBe("pass");
  });
});

describe("encrypted-sessions", () => {
  test("cli mode warns that the SDK's encrypted sessions fail", async () => {
    const cli = await encryptedSessionsCheck.run(doctorContext({ config: testConfig((c) => (c.node.signer = "cli")) }));
    expect(cli.status).toBe("warn");
    expect(cli.summary).toContain("ENCRYPTION_NOT_SUPPORTED");
    expect(cli.fix).toContain("node.signer node");
    expect((await encryptedSessionsCheck.run(doctorContext())).status).toBe("pass");
  });
});

describe("node-exposure", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });
  const listen = (host: string) =>
    new Promise<number>((resolve) => {
      server = createServer((socket) => socket.destroy());
      server.listen(0, host, () => resolve((server!.address() as { port: number }).port));
    });
  // 127.0.0.2 stands for the machine's LAN address: a listener on 0.0.0.0 (as the node binds) answers there, one
  // on 127.0.0.1 does not. The connection is real.
  const check = makeNodeExposureCheck({ addresses: () => ["127.0.0.2"], answers: (h, p) => tcpAnswers(h, p) });
  const running = (port: number) => doctorContext({ config: testConfig((c) => (c.node.internalPort = port)), extra: { hostRunning: async () => true } });

  test("a node bound to 0.0.0.0 answers on another address: warn with a firewall rule for that port", async () => {
    const port = await listen("0.0.0.0");
    const result = await check.run(running(port));
    expect(result.status).toBe("warn");
    expect(result.summary).toContain(`internal port ${port} answers on 127.0.0.2`);
    expect(result.fix).toContain(`ufw deny ${port}/tcp`);
    expect(result.fix).toContain(`--dport ${port} ! -i lo -j DROP`);
  });

  test("a port closed to other addresses passes; a stopped host is skipped with the reminder", async () => {
    const port = await listen("127.0.0.1");
    expect((await check.run(running(port))).status).toBe("pass");
    const stopped = await check.run(doctorContext({ config: testConfig((c) => (c.node.internalPort = port)) }));
    expect(stopped.status).toBe("skip");
    expect(stopped.summary).toContain(`0.0.0.0:${port}`);
  });
});

describe("node-cuda", () => {
  const withBuild = (machine: GpuMachine, ldd: string | null) => {
    const ctx = doctorContext({ machine });
    fakeBuild(ctx.paths.nodeDir, "8.38.0", "cuda13");
    return { ctx, check: makeNodeCudaCheck(async () => (ldd === null ? null : { ok: true, output: ldd })) };
  };

  test("parseLdd names the missing libraries and the CUDA major", () => {
    expect(parseLdd(fixture("ldd-cuda13.txt"))).toMatchObject({ dynamic: true, missing: [], cudaMajor: 13 });
    expect(parseLdd(fixture("ldd-cuda13-no-runtime.txt")).missing).toEqual(["libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13"]);
    expect(parseLdd("\tnot a dynamic executable\n").dynamic).toBe(false);
  });

  test("a CUDA 13 build with its libraries on an H100 with driver 580: pass", async () => {
    const { ctx, check } = withBuild("nvidia-h100", fixture("ldd-cuda13.txt"));
    const result = await check.run(ctx);
    expect(result.status).toBe("pass");
    expect(result.summary).toContain("libcudart.so.13");
    expect(result.summary).toContain("driver 580.159.04 supports CUDA 13.0");
  });

  test("missing runtime libraries are named", async () => {
    const { ctx, check } = withBuild("nvidia-h100", fixture("ldd-cuda13-no-runtime.txt"));
    const result = await check.run(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toContain("libcudart.so.13, libcublas.so.13, libcublasLt.so.13");
    expect(result.fix).toContain("cuda-libraries-13-0");
  });

  test("drivers too old for CUDA 13 (the recorded 550 and 470 machines) fail with the driver needed", async () => {
    for (const machine of ["nvidia-4x-rtx4090", "nvidia-old-driver"] as const) {
      const { ctx, check } = withBuild(machine, fixture("ldd-cuda13.txt"));
      const result = await check.run(ctx);
      expect(result.status).toBe("fail");
      expect(result.summary).toContain("CUDA 13 needs driver ≥ 580");
      expect(result.fix).toContain("driver 580 or newer");
    }
    const { ctx, check } = withBuild("none", null);
    expect((await check.run(ctx)).summary).toContain("no working NVIDIA driver");
  });

  test("the real ldd on a real executable (node.binaryPath = /bin/sh): no CUDA linked; a script is skipped", async () => {
    const real = makeNodeCudaCheck(systemLdd);
    const sh = await real.run(doctorContext({ config: testConfig((c) => (c.node.binaryPath = "/bin/sh")), extra: { env: { PATH: process.env.PATH } } }));
    expect(sh).toMatchObject({ status: "pass", summary: "links no CUDA library (a CPU build)" });
    const ctx = doctorContext();
    fakeBuild(ctx.paths.nodeDir, "8.38.0", "cpu");
    expect((await real.run(ctx)).status).toBe("skip");
  });
});
