#!/usr/bin/env bun
/**
 * `bun run bench`: runs every benchmark in scripts/bench/ and writes one table, with each figure, its target and the
 * comparison measured in the same run, as Markdown (docs/PERFORMANCE.md) and JSON (.bench/report.json). Benchmarks
 * without a JSON mode are run too and their text is kept in the report's appendix.
 */
import { cpus, totalmem, platform, arch } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const root = join(import.meta.dir, "..", "..");
const { values } = parseArgs({ options: { only: { type: "string", multiple: true }, out: { type: "string" } } });

interface Row {
  figure: string;
  value: string;
  target: string;
  comparison: string;
  met?: boolean;
}

type Json = Record<string, any>;

interface Bench {
  name: string;
  args: string[];
  json: boolean;
  rows?: (data: Json) => Row[];
}

const ms = (n: unknown) => (typeof n === "number" ? `${n} ms` : "n/a");

const BENCHES: Bench[] = [
  {
    name: "startup",
    args: ["startup.ts", "--json"],
    json: true,
    rows: (d) =>
      (d.rows as Json[])
        .filter((row) => row.name !== "node -e 0")
        .map((row) => ({
          figure: row.name.startsWith("a Bun binary")
            ? `${row.name}, median`
            : row.name.endsWith(" (to first RPC request)")
              ? `\`${row.name.replace(" (to first RPC request)", "")}\` to its first RPC request, median (compiled)`
              : `\`${row.name}\` median (compiled)`,
          value: ms(row.medianMs),
          target: row.name.startsWith("a Bun binary") ? "-" : "≤ 0.5 × `node -e 0`",
          comparison: `node -e 0: ${ms(d.nodeMs)} (ratio ${row.ratio})`,
          met: row.name.startsWith("a Bun binary") ? undefined : row.ratio <= d.target,
        })),
  },
  {
    name: "status",
    args: ["status.ts", "--json", "--runs", "5"],
    json: true,
    rows: (d) => [
      {
        figure: "`status --json`, registered host, 10 sessions, cold",
        value: `${ms(d.cold?.medianMs)}, ${d.cold?.roundTrips} HTTP round trips`,
        target: "≤ 2 round trips",
        comparison: `warm: ${ms(d.warm?.medianMs)}, ${d.warm?.roundTrips} round trip(s); --version alone ${ms(d.versionMs)}`,
        met: d.cold?.roundTrips <= 2,
      },
    ],
  },
  {
    name: "proof-overhead",
    args: ["proof-overhead.ts", "--json"],
    json: true,
    rows: (d) => [
      {
        figure: `proof overhead, due frame → tx handed to the RPC (${d.checkpoints} checkpoints)`,
        value: `p50 ${d.p50ms} ms, p99 ${d.p99ms} ms`,
        target: "p99 < 10 ms (plan: < 100 ms)",
        comparison: `max ${d.maxMs} ms`,
        met: d.p99ms < 10,
      },
    ],
  },
  {
    name: "front",
    args: ["front.ts", "--json"],
    json: true,
    rows: (d) => [
      {
        figure: "session front throughput (token frames/s)",
        value: String(d.front?.framesPerSecond),
        target: "≥ 50,000",
        comparison: `direct to the upstream: ${d.direct?.framesPerSecond}`,
        met: d.front?.framesPerSecond >= 50_000,
      },
      {
        figure: "latency added by the front (paced stream)",
        value: `p50 ${d.addedP50ms} ms, p99 ${d.addedP99ms} ms`,
        target: "< 1 ms at p99",
        comparison: `direct p99 ${(d.direct?.p99us ?? 0) / 1000} ms, front p99 ${(d.front?.p99us ?? 0) / 1000} ms`,
        met: d.addedP99ms < 1,
      },
      {
        figure: "memory per open session (RSS, both socket ends)",
        value: `${Math.round((d.bytesPerOpenSession ?? 0) / 1024)} KiB`,
        target: "-",
        comparison: "-",
      },
    ],
  },
  {
    name: "supervisor",
    args: ["supervisor.ts", "--json", "--runs", "5"],
    json: true,
    rows: (d) => [
      {
        figure: "`start --daemon` to ready (node stand-in, from source)",
        value: ms(d["start --daemon to ready (ms)"]),
        target: "-",
        comparison: `Supervisor.start() alone: ${ms(d["Supervisor.start() to ready (ms)"])}`,
      },
      {
        figure: "restart latency after a node crash (no backoff)",
        value: ms(d["crash to ready again, no backoff (ms)"]),
        target: "-",
        comparison: "default backoff adds 1 s ± 20%",
      },
      { figure: "daemon RSS", value: `${d["daemon RSS (MB)"]} MB`, target: "-", comparison: `watchdog ${d["watchdog RSS (MB)"]} MB` },
    ],
  },
  {
    name: "devnet",
    args: ["devnet.ts", "--json", "--runs", "5"],
    json: true,
    rows: (d) => [
      {
        figure: "devnet start + deploy (cached contracts)",
        value: ms(Math.round(d.startMs?.median)),
        target: "< 2 s per test file",
        comparison: `anvil ${ms(Math.round(d.anvilMs))}, deploy ${ms(Math.round(d.deployMs))}${d.coldCompileMs ? `; cold solc compile ${ms(Math.round(d.coldCompileMs))}` : ""}`,
        met: d.startMs?.median < 2000,
      },
    ],
  },
  {
    name: "log-volume",
    args: ["log-volume.ts"],
    json: true,
    rows: (d) => [
      {
        figure: "log volume per 1,000 sessions (info)",
        value: `${(d.bytesPer1000Sessions / 1e6).toFixed(2)} MB`,
        target: "-",
        comparison: `${(d.gzipBytesPer1000Sessions / 1e3).toFixed(0)} KB gzipped after rotation`,
      },
    ],
  },
  {
    name: "soak",
    args: ["soak.ts", "--json", "--sessions", "150"],
    json: true,
    rows: (d) => [
      {
        figure: `daemon RSS over a soak (${d.sessions ?? "?"} sessions, node stand-in, devnet)`,
        value: `start ${d.rssMb?.start} MB, peak ${d.rssMb?.peak} MB, end ${d.rssMb?.end} MB`,
        target: "no unbounded growth",
        comparison: `${d.tokensServed} tokens served, ${d.proofs} proofs, ${d.settled} settled, over-proven ${d.overProven?.tokens} tokens; logs ${d.logs?.bytesPerSession} B and state ${d.state?.bytesPerSession} B per session`,
      },
    ],
  },
  {
    name: "proof-economics",
    args: ["proof-economics.ts", "--json"],
    json: true,
    rows: (d) =>
      (d.outcomes as Json[])
        .filter((o) => o.strategy === "policy")
        .map((o) => {
          const base = (d.outcomes as Json[]).find((b) => b.strategy === "every-interval" && b.tokens === o.tokens && b.gasPrice === o.gasPrice)!;
          const eth = (wei: string) => `${Number(BigInt(wei)) / 1e18} ETH`;
          return {
            figure: `proof policy, ${o.tokens}-token session at ${o.gasPrice} (model)`,
            value: `net ${eth(o.netWei)}, ${o.proofs} proof(s), ${o.gasPer1000Proven ?? "-"} gas / 1,000 proven`,
            target: "net ≥ proving every interval",
            comparison: `every interval: net ${eth(base.netWei)}, ${base.proofs} proof(s), ${base.gasPer1000Proven ?? "-"} gas / 1,000 proven`,
            met: BigInt(o.netWei) >= BigInt(base.netWei),
          };
        }),
  },
  {
    name: "restart-history",
    args: ["restart-history.ts", "--json"],
    json: true,
    rows: (d) =>
      (d.rows ?? []).map((r: Json) => ({
        figure: `restart with ${r.jobs} historic jobs: \`start --daemon\` to ready, and to proof recovery done`,
        value: `ready ${ms(r["cursor: ready (ms)"])}, recovered ${ms(r["cursor: recovery done (ms)"])}; walk ${r["walk alone, cursor (eth_calls)"]} eth_calls`,
        target: "port open before the walk; walk O(new jobs)",
        comparison: `full walk (no cursor): recovered ${ms(r["full walk: recovery done (ms)"])} (ratio ${r["recovery ratio full / cursor"]}), walk ${r["walk alone, full (eth_calls)"]} eth_calls in ${ms(r["walk alone, full (ms)"])}`,
        met: r["walk alone, cursor (eth_calls)"] <= 2 * 8 + 2,
      })),
  },
  { name: "chain-status-reads", args: ["chain-status-reads.ts"], json: false },
  { name: "chain-tps", args: ["chain-tps.ts"], json: false },
  { name: "unlock", args: ["unlock.ts"], json: false },
];

function lastJson(text: string): Json | undefined {
  // Benchmarks print their JSON last (some pretty-printed): take the last top-level object.
  const start = text.lastIndexOf("\n{") >= 0 ? text.lastIndexOf("\n{") + 1 : text.indexOf("{");
  for (let i = start; i >= 0; i = text.lastIndexOf("\n{", i - 1) >= 0 ? text.lastIndexOf("\n{", i - 1) + 1 : -1) {
    try {
      return JSON.parse(text.slice(i));
    } catch {
      if (i === 0) break;
    }
  }
  return undefined;
}

const selected = values.only?.length ? BENCHES.filter((b) => values.only!.includes(b.name)) : BENCHES;
const rows: Row[] = [];
const appendix: { name: string; text: string }[] = [];
const raw: Record<string, unknown> = {};
for (const bench of selected) {
  process.stderr.write(`running ${bench.name} …\n`);
  const started = performance.now();
  const child = Bun.spawn(["bun", join(import.meta.dir, bench.args[0]!), ...bench.args.slice(1)], { cwd: root, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    rows.push({ figure: bench.name, value: "failed", target: "-", comparison: (stderr || stdout).trim().split("\n").slice(-1)[0] ?? "", met: false });
    continue;
  }
  if (bench.json && bench.rows) {
    const data = lastJson(stdout);
    raw[bench.name] = data;
    if (data) rows.push(...bench.rows(data));
    else rows.push({ figure: bench.name, value: "no JSON output", target: "-", comparison: "-", met: false });
  } else {
    appendix.push({ name: bench.name, text: stdout.trim() });
    raw[bench.name] = stdout.trim();
  }
  process.stderr.write(`  done in ${seconds} s\n`);
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()}/${arch()}, Bun ${Bun.version}`;
const date = new Date().toISOString().slice(0, 10);
const table = [
  "| figure | value | target | compared with (same run) |",
  "| --- | --- | --- | --- |",
  ...rows.map((r) => `| ${r.figure} | ${r.value}${r.met === true ? " ✓" : r.met === false ? " ✗" : ""} | ${r.target} | ${r.comparison} |`),
].join("\n");
const markdown = `# Performance

Measured by \`bun run bench\` on ${date}: ${machine}. Every figure comes from the benchmarks in \`scripts/bench/\`;
the comparison column was measured in the same run. ✓ marks a target met, ✗ one missed.

${table}

${appendix.map((a) => `## ${a.name}\n\n\`\`\`\n${a.text}\n\`\`\``).join("\n\n")}
`;
const jsonOut = values.out ?? join(root, ".bench", "report.json");
mkdirSync(join(jsonOut, ".."), { recursive: true });
writeFileSync(jsonOut, JSON.stringify({ date, machine, rows, raw }, null, 2));
if (!values.only?.length) writeFileSync(join(root, "docs", "PERFORMANCE.md"), markdown);
console.log(table);
console.error(`\nwrote ${jsonOut}${values.only?.length ? "" : " and docs/PERFORMANCE.md"}`);
