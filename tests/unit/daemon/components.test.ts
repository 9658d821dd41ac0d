import { describe, expect, test } from "bun:test";
import { HostRuntimeImpl, type HostComponent } from "../../../src/daemon/components.ts";
import { resolveConfig } from "../../../src/config/store.ts";
import { pathsFor } from "../../../src/config/paths.ts";
import type { Supervisor } from "../../../src/node/supervisor/index.ts";
import { memoryLogger } from "../../integration/supervisor/helpers.ts";

const config = resolveConfig({ network: "base-sepolia" }, {}, {}).config;
const fakeSupervisor = { status: () => ({ state: "running", port: 8181 }) } as unknown as Supervisor;

function runtime() {
  const logger = memoryLogger();
  return { logger, host: new HostRuntimeImpl(config, pathsFor("/tmp/none"), logger, fakeSupervisor) };
}

const never = new Promise<void>(() => {});

describe("HostRuntime", () => {
  test("nodeUrl points at the node on loopback while it runs", () => {
    expect(runtime().host.nodeUrl()).toBe("http://127.0.0.1:8181");
  });

  test("drain runs component drains and registered hooks together, with the deadline; failures are logged", async () => {
    const { host, logger } = runtime();
    const seen: string[] = [];
    const components: HostComponent[] = [
      { name: "proofs", start: async () => {}, stop: async () => {}, drain: async (deadline) => void seen.push(`proofs ${deadline}`) },
      { name: "front", start: async () => {}, stop: async () => {} },
    ];
    host.onDrain(async (deadline) => void seen.push(`hook ${deadline}`));
    host.onDrain(async () => {
      throw new Error("journal unwritable");
    });
    const deadline = Date.now() + 1_000;
    await host.drain(components, deadline, never);
    expect(seen.sort()).toEqual([`hook ${deadline}`, `proofs ${deadline}`]);
    expect(logger.lines.some((line) => line.includes("Drain of drain hook 2 failed") && line.includes("journal unwritable"))).toBe(true);
  });

  test("drain gives up at the deadline, or at once when forced", async () => {
    const { host, logger } = runtime();
    const off = host.onDrain(() => never);
    let began = Date.now();
    await host.drain([], Date.now() + 150, never);
    expect(Date.now() - began).toBeLessThan(1_000);
    expect(logger.lines.some((line) => line.includes("Drain deadline reached"))).toBe(true);

    began = Date.now();
    await host.drain([], Date.now() + 60_000, Promise.resolve());
    expect(Date.now() - began).toBeLessThan(2_000); // forced: not the 60 s deadline
    off();
  });

  test("reload hands the config to everyone; one refusal does not stop the others", async () => {
    const { host, logger } = runtime();
    const got: string[] = [];
    const next = { ...config, publicUrl: "https://new.example" };
    host.onReload(async () => {
      throw new Error("bad front port");
    });
    host.onReload(async (c) => void got.push(`hook ${c.publicUrl}`));
    await host.reload(next, [{ name: "proofs", start: async () => {}, stop: async () => {}, reload: async (c) => void got.push(`proofs ${c.publicUrl}`) }]);
    expect(got).toEqual(["proofs https://new.example", "hook https://new.example"]);
    expect(host.config.publicUrl).toBe("https://new.example");
    expect(logger.lines.some((line) => line.includes("reload hook 1 rejected the new configuration"))).toBe(true);
  });
});
