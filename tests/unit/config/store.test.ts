import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathsFor } from "../../../src/config/paths.ts";
import { loadConfig, resolveConfig, updateConfig } from "../../../src/config/store.ts";
import { SETTINGS } from "../../../src/config/settings.ts";
import { atomicWriteFileSync, isAtomicTempFile } from "../../../src/util/atomic-write.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { CoreErrors } from "../../../src/errors/codes/index.ts";

const freshPaths = () => pathsFor(join(mkdtempSync(join(tmpdir(), "cfg-")), "home"));

describe("configuration layers", () => {
  test("defaults < file < env < flags, with each value's source", async () => {
    const paths = freshPaths();
    mkdirSync(paths.home, { recursive: true });
    writeFileSync(paths.configFile, JSON.stringify({ version: 1, network: "local", node: { apiPort: 8100, gpuLayers: 10 }, logging: { level: "warn" } }));
    const loaded = await loadConfig({ paths, env: { FABSTIR_NODE_API_PORT: "8200", FABSTIR_LOGGING_LEVEL: "debug" } }, { flags: { "logging.level": "error" } });
    expect(loaded.config.node.gpuLayers).toBe(10);
    expect(loaded.sources["node.gpuLayers"]).toBe("file");
    expect(loaded.config.node.apiPort).toBe(8200);
    expect(loaded.sources["node.apiPort"]).toBe("env");
    expect(loaded.config.logging.level).toBe("error");
    expect(loaded.sources["logging.level"]).toBe("flag");
    expect(loaded.config.node.batchSize).toBe(2048);
    expect(loaded.sources["node.batchSize"]).toBe("default");
    // network-dependent defaults follow the network
    expect(loaded.config.chainId).toBe(31337);
  });

  test("every setting has one documented env name and a valid default", () => {
    const names = new Set<string>();
    for (const setting of SETTINGS) {
      expect(setting.env).toMatch(/^FABSTIR_[A-Z0-9_]+$/);
      expect(names.has(setting.env)).toBe(false);
      names.add(setting.env);
    }
    expect(resolveConfig(undefined, {}).problems).toEqual([]);
  });

  test("each field's bad value names the field and the allowed form", () => {
    const bad: Record<string, string> = {
      FABSTIR_NETWORK: "mainnet",
      FABSTIR_RPC_URLS: "ftp://x",
      FABSTIR_CHAIN_ID: "-3",
      FABSTIR_CONTRACTS_NODE_REGISTRY: "0x123",
      FABSTIR_PUBLIC_URL: "host.example.org",
      FABSTIR_MODELS: "just-a-name",
      FABSTIR_NODE_API_PORT: "0",
      FABSTIR_NODE_SIGNER: "both",
      FABSTIR_TX_MAX_FEE_GWEI: "cheap",
      FABSTIR_METRICS_ENABLED: "maybe",
      FABSTIR_ALERTS_FORMAT: "email",
    };
    const { problems } = resolveConfig(undefined, bad);
    expect(problems.length).toBe(Object.keys(bad).length);
    for (const problem of problems) {
      const setting = SETTINGS.find((s) => s.key === problem.key)!;
      expect(problem.message).toContain(problem.key);
      expect(problem.message).toContain(setting.form);
      expect(problem.message).toContain(setting.env);
    }
  });

  test("an invalid value fails loading with every problem listed", async () => {
    const paths = freshPaths();
    mkdirSync(paths.home, { recursive: true });
    writeFileSync(paths.configFile, JSON.stringify({ version: 1, node: { apiPort: "eighty", gpuLayers: -1 } }));
    const error = await loadConfig({ paths, env: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(HostError);
    expect(error.code).toBe(CoreErrors.CONFIG_INVALID.code);
    expect(error.details.problems.map((p: { key: string }) => p.key).sort()).toEqual(["node.apiPort", "node.gpuLayers"]);
  });
});

describe("the config file", () => {
  test("is written with mode 0600 in a 0700 directory, and only what differs from defaults", async () => {
    const paths = freshPaths();
    await updateConfig({ paths, env: {} }, (c) => {
      c.publicUrl = "https://host.example.org";
    });
    expect(statSync(paths.configFile).mode & 0o777).toBe(0o600);
    expect(statSync(paths.home).mode & 0o777).toBe(0o700);
    const raw = JSON.parse(readFileSync(paths.configFile, "utf8"));
    expect(raw.publicUrl).toBe("https://host.example.org");
    expect(raw.version).toBe(1);
    expect(raw.node).toBeUndefined();
  });

  test("an environment override is never written to disk by an update", async () => {
    const paths = freshPaths();
    await updateConfig({ paths, env: { FABSTIR_NODE_API_PORT: "9999" } }, (c) => {
      c.host.location = "eu";
    });
    const raw = JSON.parse(readFileSync(paths.configFile, "utf8"));
    expect(raw.node?.apiPort).toBeUndefined();
  });

  test("a corrupt file names the line and column and is never overwritten", async () => {
    const paths = freshPaths();
    mkdirSync(paths.home, { recursive: true });
    const broken = '{\n  "network": "local",\n  "node": { "apiPort": 80 80 }\n}\n';
    writeFileSync(paths.configFile, broken);
    const error = await loadConfig({ paths, env: {} }).catch((e) => e);
    expect(error.code).toBe(CoreErrors.CONFIG_PARSE.code);
    expect(error.message).toContain("line 3, column");
    const updateError = await updateConfig({ paths, env: {} }, () => {}).catch((e) => e);
    expect(updateError.code).toBe(CoreErrors.CONFIG_PARSE.code);
    expect(readFileSync(paths.configFile, "utf8")).toBe(broken);
  });

  test("a config from an older version is backed up, migrated and loads", async () => {
    const paths = freshPaths();
    mkdirSync(paths.home, { recursive: true });
    writeFileSync(paths.configFile, JSON.stringify({ network: "base-sepolia", rpcUrl: "https://rpc.example.org", models: "a/b:c.gguf, d/e:f.gguf" }));
    const loaded = await loadConfig({ paths, env: {} });
    expect(loaded.migratedFrom).toBe(0);
    expect(loaded.config.rpcUrls).toEqual(["https://rpc.example.org"]);
    expect(loaded.config.models).toEqual(["a/b:c.gguf", "d/e:f.gguf"]);
    const backups = readdirSync(paths.backupsDir);
    expect(backups.some((name) => name.includes("before-migration-v0"))).toBe(true);
    expect(JSON.parse(readFileSync(paths.configFile, "utf8")).version).toBe(1);
  });

  test("a config from a newer version is refused, not rewritten", async () => {
    const paths = freshPaths();
    mkdirSync(paths.home, { recursive: true });
    writeFileSync(paths.configFile, JSON.stringify({ version: 99 }));
    const error = await loadConfig({ paths, env: {} }).catch((e) => e);
    expect(error.code).toBe(CoreErrors.CONFIG_TOO_NEW.code);
  });
});

describe("atomic writes", () => {
  test("a crash before the rename leaves the old file intact", () => {
    const dir = mkdtempSync(join(tmpdir(), "atomic-"));
    const target = join(dir, "config.json");
    writeFileSync(target, "old");
    expect(() =>
      atomicWriteFileSync(target, "new", {
        beforeRename: () => {
          throw new Error("simulated crash");
        },
      }),
    ).toThrow("simulated crash");
    expect(readFileSync(target, "utf8")).toBe("old");
    const leftovers = readdirSync(dir).filter(isAtomicTempFile);
    expect(leftovers.length).toBe(1); // what a crash leaves; never read as config
    atomicWriteFileSync(target, "new");
    expect(readFileSync(target, "utf8")).toBe("new");
    expect(existsSync(target)).toBe(true);
  });

  test("a killed writer process never leaves a torn config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atomic-kill-"));
    const target = join(dir, "config.json");
    const script = join(dir, "writer.ts");
    writeFileSync(
      script,
      `import { atomicWriteFileSync } from ${JSON.stringify(join(import.meta.dir, "../../../src/util/atomic-write.ts"))};
       const big = JSON.stringify({ pad: "x".repeat(2_000_000) });
       for (let i = 0; ; i++) atomicWriteFileSync(${JSON.stringify(target)}, JSON.stringify({ i, big }));`,
    );
    for (let round = 0; round < 5; round++) {
      const child = Bun.spawn(["bun", script], { stdout: "ignore", stderr: "ignore" });
      await Bun.sleep(150 + round * 50);
      child.kill("SIGKILL");
      await child.exited;
      if (existsSync(target)) expect(() => JSON.parse(readFileSync(target, "utf8"))).not.toThrow();
    }
  });
});
