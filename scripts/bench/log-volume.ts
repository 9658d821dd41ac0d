#!/usr/bin/env bun
/**
 * Log volume per 1,000 sessions: logs what a session really produces (init, N streamed chunks at debug level, which
 * the default info level drops, checkpoints, proofs, earnings, end) through the real loggers, then prints the bytes
 * written, before and after rotation's compression.
 *
 *   bun scripts/bench/log-volume.ts [--sessions 1000] [--chunks 200] [--level info|debug]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { createComponentLogger } from "../../src/ops/logging/logger.ts";
import type { LogLevel } from "../../src/ops/logging/logger-types.ts";

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const sessions = Number(arg("sessions", "1000"));
const chunks = Number(arg("chunks", "200"));
const level = arg("level", "info") as LogLevel;
const tokensPerChunk = 8;
const proofEvery = 1000; // tokens per checkpoint

const logsDir = join(mkdtempSync(join(tmpdir(), "fabstir-log-volume-")), "logs");
const logging = { level, maxSizeMb: 50, maxFiles: 14 };
const front = createComponentLogger({ logsDir }, "front", logging);
const proofs = createComponentLogger({ logsDir }, "proofs", logging);
const chain = createComponentLogger({ logsDir }, "chain", logging);

const hex = (n: number, width: number) => "0x" + n.toString(16).padStart(width, "0");
const started = performance.now();
for (let s = 0; s < sessions; s++) {
  const sessionId = hex(s + 1, 16);
  const jobId = String(1000 + s);
  const log = front.child({ sessionId, jobId });
  log.info("session init", { model: "CohereForAI/TinyVicuna-1B-32k-GGUF:tiny-vicuna-1b.q4_k_m.gguf", encrypted: true, client: "0x" + "ab".repeat(20) });
  let tokens = 0;
  for (let c = 0; c < chunks; c++) {
    tokens += tokensPerChunk;
    log.debug("stream chunk", { tokens: tokensPerChunk, total: tokens });
    if (tokens % proofEvery === 0) {
      const proofLog = proofs.child({ sessionId, jobId });
      proofLog.info("checkpoint queued", { tokens: proofEvery, total: tokens });
      proofLog.info("proof submitted", { tokens: proofEvery, txHash: hex(s * 1000 + c, 64), gasUsed: 183_512 });
      proofLog.info("proof confirmed", { txHash: hex(s * 1000 + c, 64), block: 12_000_000 + s });
    }
  }
  log.info("session end", { tokensUsed: tokens, reason: "complete", durationMs: 41_200 });
  chain.info("earnings credited", { jobId, token: "eth", amount: "123450000000000" });
}
const elapsedMs = performance.now() - started;
await Promise.all([front.close(), proofs.close(), chain.close()]);

let written = 0;
let compressed = 0;
for (const name of readdirSync(logsDir)) {
  const path = join(logsDir, name);
  const size = statSync(path).size;
  written += name.endsWith(".gz") ? 0 : size;
  compressed += name.endsWith(".gz") ? size : gzipSync(readFileSync(path)).length;
}
const perThousand = (bytes: number) => Math.round((bytes * 1000) / sessions);
console.log(
  JSON.stringify(
    {
      sessions,
      chunksPerSession: chunks,
      level,
      bytesWritten: written,
      bytesPer1000Sessions: perThousand(written),
      gzipBytesPer1000Sessions: perThousand(compressed),
      linesPerSecond: Math.round(
        ((sessions * (2 + Math.floor((chunks * tokensPerChunk) / proofEvery) * 3 + 1 + (level === "debug" ? chunks : 0))) / elapsedMs) * 1000,
      ),
    },
    null,
    2,
  ),
);
rmSync(join(logsDir, ".."), { recursive: true, force: true });
