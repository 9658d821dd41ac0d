/** `status` with several nodes: run/nodes.json as the host writes it, read back and shown one row per node. */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readNodesFile, removeNodesFile, writeNodesFile, type NodeReport } from "../../../../src/node/instances/nodes-file.ts";
import { renderStatus } from "../../../../src/cli/render/status.ts";
import { styleFor } from "../../../../src/cli/style.ts";
import type { StatusReport } from "../../../../src/host/status/types.ts";

const nodes: NodeReport[] = [
  {
    name: "node",
    model: "org/big-GGUF:big.gguf",
    gpus: [0, 1],
    state: "running",
    port: 8081,
    pid: 101,
    restarts: 0,
    health: "degraded",
    unhealthyReason: null,
    sessions: 3,
  },
  {
    name: "node-2",
    model: "org/small-GGUF:small.gguf",
    gpus: [2],
    state: "restarting",
    port: null,
    pid: null,
    restarts: 2,
    health: null,
    unhealthyReason: null,
    sessions: 0,
  },
];

describe("the nodes in status", () => {
  test("run/nodes.json round-trips and goes away with the host", () => {
    const dir = mkdtempSync(join(tmpdir(), "nodes-file-"));
    try {
      expect(readNodesFile(dir)).toBeNull();
      writeNodesFile(dir, nodes);
      expect(readNodesFile(dir)).toEqual(nodes);
      removeNodesFile(dir);
      expect(readNodesFile(dir)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("one row per node: model, GPUs, state, health, sessions, port, restarts", () => {
    const report: StatusReport = {
      address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      network: { name: "local", label: "local devnet", chainId: 31337, rpc: ["http://127.0.0.1:8545"], verified: true, foundChainId: 31337 },
      block: null,
      registration: null,
      wallet: null,
      earnings: null,
      sessions: null,
      gas: null,
      slashes: [],
      node: {
        status: "running",
        mode: "daemon",
        state: "running",
        pid: 11,
        nodePid: 101,
        startedAt: "2026-01-01T00:00:00Z",
        uptimeSeconds: 60,
        reason: null,
        nodes,
      },
      warnings: [],
      rpc: { roundTrips: 1, calls: 1 },
      generatedAt: "2026-01-01T00:01:00Z",
    };
    const lines = renderStatus(report, styleFor({ color: false })).split("\n");
    expect(lines.find((l) => l.startsWith("NODE"))).toMatch(/NODE\s+MODEL\s+GPU\s+STATE\s+HEALTH\s+SESSIONS\s+PORT\s+RESTARTS/);
    expect(lines.find((l) => l.startsWith("node "))).toMatch(/node\s+org\/big-GGUF:big.gguf\s+0\+1\s+running\s+degraded\s+3\s+8081\s+0/);
    expect(lines.find((l) => l.startsWith("node-2"))).toMatch(/node-2\s+org\/small-GGUF:small.gguf\s+2\s+restarting\s+-\s+0\s+-\s+2/);
  });
});
