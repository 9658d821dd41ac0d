/** The compiled binary, run as a user runs it: from a folder with nothing else in it. */
import { beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledBinary } from "../helpers/binary.ts";
import { chatWithNode } from "../helpers/node-chat.ts";

let binary: string;
let scratch: string;

beforeAll(async () => {
  const built = await compiledBinary();
  scratch = mkdtempSync(join(tmpdir(), "fabstir-bin-"));
  binary = join(scratch, "fabstir-host");
  copyFileSync(built, binary);
  Bun.spawnSync(["chmod", "+x", binary]);
});

const run = (args: string[], env: Record<string, string> = {}) => {
  const result = Bun.spawnSync([binary, ...args], { cwd: scratch, env: { PATH: "/usr/bin:/bin", HOME: scratch, ...env }, stdout: "pipe", stderr: "pipe" });
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
};

describe("the compiled fabstir-host", () => {
  test("--version prints the baked-in version and commit", () => {
    const result = run(["--version"]);
    expect(result.code).toBe(0);
    const version = JSON.parse(readFileSync(join(import.meta.dir, "../../package.json"), "utf8")).version;
    expect(result.stdout).toMatch(new RegExp(`^fabstir-host ${version.replace(/\./g, "\\.")} \\((?!source)[\\w-]+\\)\\n$`));
  });

  test("--help is the manual, without colour in a pipe", () => {
    const result = run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("fabstir-host wallet create");
    expect(result.stdout).not.toContain("\u001b[");
  });

  test("config commands work with --config-dir and exit codes are right", () => {
    const dir = join(scratch, "state");
    expect(run(["config", "set", "publicUrl", "https://host.example.org", "--config-dir", dir]).code).toBe(0);
    const get = run(["config", "get", "publicUrl", "--json", "--config-dir", dir]);
    expect(JSON.parse(get.stdout)).toMatchObject({ ok: true, data: { value: "https://host.example.org", source: "file" } });
    expect(run(["config", "set", "node.apiPort", "nope", "--config-dir", dir]).code).toBe(2);
    // A read that needs no chain: the config's prices, with an RPC that does not exist.
    run(["config", "set", "rpcUrls", "http://127.0.0.1:1", "--config-dir", dir]);
    run(["config", "set", "models", "CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf", "--config-dir", dir]);
    const prices = run(["pricing", "show", "--offline", "--json", "--config-dir", dir]);
    expect(prices.code).toBe(0);
    expect(JSON.parse(prices.stdout).data).toMatchObject({ source: "config", bounds: null });
    expect(JSON.parse(prices.stdout).data.rows).toHaveLength(2);
    expect(run(["nonsense"]).code).toBe(2);
  });

  test("a bunfig.toml or .env in the folder it starts in changes nothing: no preload runs, no variable is set", () => {
    const folder = join(scratch, "untrusted");
    mkdirSync(folder, { recursive: true });
    const marker = join(folder, "preload-ran");
    writeFileSync(join(folder, "bunfig.toml"), 'preload = ["./evil.js"]\n');
    writeFileSync(join(folder, "evil.js"), `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran"); console.log("PRELOAD RAN");\n`);
    // A .env that would move the host's state and point it at another RPC.
    writeFileSync(join(folder, ".env"), `FABSTIR_HOME=${join(folder, "moved")}\nFABSTIR_RPC_URL=http://127.0.0.1:9\n`);
    const result = Bun.spawnSync([binary, "config", "path", "--json"], {
      cwd: folder,
      env: { PATH: "/usr/bin:/bin", HOME: scratch },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(result.exitCode).toBe(0);
    const out = result.stdout.toString();
    expect(out).not.toContain("PRELOAD RAN");
    expect(out).not.toContain("moved");
    expect(Bun.file(marker).size).toBe(0);
    expect(JSON.parse(out).data.home).toBe(join(scratch, ".fabstir", "host"));
  });
});

describe("the compiled binary's embedded keychain addon", () => {
  test("stores and reads the key in a real kernel keyring (keyctl session), from the single file", () => {
    const keyctl = Bun.spawnSync(["sh", "-c", "command -v keyctl"]).stdout.toString().trim();
    expect(keyctl, "keyctl is missing: apt-get install keyutils").not.toBe("");
    const dir = join(scratch, "keychain-state");
    const script = [
      `"${binary}" wallet create --backend keychain --config-dir "${dir}" --json`,
      `"${binary}" wallet export --insecure --yes --config-dir "${dir}" --json`,
    ].join(" && ");
    // No D-Bus here: the keychain helper falls through to keyutils, the kernel keyring of this session.
    const result = Bun.spawnSync(["keyctl", "session", "-", "sh", "-c", script], {
      cwd: scratch,
      env: { PATH: "/usr/bin:/bin", HOME: scratch, NO_COLOR: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const lines = result.stdout.toString().trim().split("\n");
    expect(result.exitCode, result.stderr.toString()).toBe(0);
    const created = JSON.parse(lines[0]!);
    expect(created.data.backend).toBe("keychain");
    const exported = JSON.parse(lines[1]!);
    expect(exported.data.privateKey).toMatch(/^0x[0-9a-f]{64}$/);
    expect(JSON.stringify(exported.data)).toContain(created.data.address);
  });
});

describe("the compiled binary as the orphan watchdog's count salvage", () => {
  test("reads a running node's sessions from the single file; its count never raises the delivered one", async () => {
    const home = join(scratch, "salvage-home");
    const port = freePort();
    const modelPath = join(scratch, "model.gguf");
    writeFileSync(modelPath, "GGUF fake model for tests");
    // A node with a key has a checkpoint index (a keyless one answers 503); the index names only checkpoints, so the
    // count it vouches for is the last checkpoint's end (fabstir-llm-node@85a87b8 src/checkpoint/index.rs:13-51):
    // 150 tokens at a checkpoint every 100 leave 100, the 50 after it under the 100-token minimum.
    const nodeEnv = {
      PATH: process.env.PATH!,
      MODEL_PATH: modelPath,
      API_PORT: String(port),
      HOST_PRIVATE_KEY: `0x${"11".repeat(32)}`,
      SIM_CHECKPOINT_INTERVAL: "100",
      SIM_TOKENS_PER_PROMPT: "150",
    };
    const node = Bun.spawn([process.execPath, join(import.meta.dir, "../../scripts/devnet/node-sim.ts")], { env: nodeEnv, stdout: "ignore", stderr: "ignore" });
    try {
      await waitForHealth(port);
      await chatWithNode(port, "sess-1", "5");
      mkdirSync(join(home, "state", "proofs", "active"), { recursive: true });
      // The dead host's PID file names the node's port (its pid is above the kernel's pid_max: no process has it).
      mkdirSync(join(home, "run"), { recursive: true });
      writeFileSync(
        join(home, "run", "host.pid"),
        JSON.stringify({ pid: 2 ** 22 + 1, processStart: null, ports: { internal: port, api: 0, p2p: 0 }, node: null }),
      );
      writeFileSync(
        join(home, "state", "proofs", "active", "sess-1.json"),
        JSON.stringify({
          sessionId: "sess-1",
          jobId: "5",
          encrypted: false,
          generated: 10,
          proven: 0,
          ended: false,
          openedAt: Date.now(),
          proofs: [],
          finished: false,
          attempts: 0,
        }),
      );
      // The count file the host left: 20 tokens delivered to the client (the node made 50).
      writeFileSync(join(home, "state", "proofs", "active", "sess-1.count"), "20".padStart(20, " "));
      const result = run([home], { FABSTIR_SALVAGE_CHILD: "1" });
      expect(result).toMatchObject({ code: 0, stdout: "" });
      expect(JSON.parse(readFileSync(join(home, "state", "proofs", "active", "sess-1.json"), "utf8")).generated).toBe(10);
      expect(readFileSync(join(home, "state", "proofs", "active", "sess-1.count"), "utf8").trim()).toBe("20");
      expect(readFileSync(join(home, "logs", "proofs.log"), "utf8")).toContain("the delivered count stands");
    } finally {
      node.kill("SIGKILL");
      await node.exited;
    }
  }, 30_000);
});

function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await Bun.sleep(50);
  }
  throw new Error("the node stand-in did not become healthy");
}
