#!/usr/bin/env bun
/**
 * The local demo: a host's whole life on one machine with the compiled binary. Starts a devnet (anvil + the project's
 * contracts), the node stand-in under the host's supervisor, and simulated clients paying in ETH and USDC; ends with a
 * summary and leaves nothing running. `--keep` leaves the network and the host up and prints how to use them.
 * Ctrl-C, SIGTERM and SIGHUP all stop everything it started, whenever they arrive (stop-signals.ts).
 * `--host-only` sets up and starts the host, prints one `ready {…}` line and waits for a stop signal;
 * `--binary <path>` uses a built binary instead of building one.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runJourney } from "./demo/journey.ts";
import { prepareHost } from "./demo/prepare-host.ts";
import { stopOnSignals } from "./demo/stop-signals.ts";

const { values } = parseArgs({
  options: { keep: { type: "boolean" }, prompts: { type: "string" }, binary: { type: "string" }, "host-only": { type: "boolean" } },
});
const root = join(import.meta.dir, "..");
const target = process.arch === "arm64" ? "linux-arm64" : "linux-x64";
const out = (line: string) => process.stdout.write(`${line}\n`);

let binary = values.binary;
if (!binary) {
  out(`fabstir-host demo: building the ${target} binary …`);
  const build = Bun.spawnSync(["bun", "scripts/build.ts", "--target", target], { cwd: root, stdout: "inherit", stderr: "inherit" });
  if (build.exitCode !== 0) process.exit(1);
  binary = join(root, "dist", `fabstir-host-${target}`);
}
const signals = stopOnSignals({ say: out });

if (values["host-only"]) {
  const host = await prepareHost({ binary, onStop: signals.add });
  await host.cli(["start", "--daemon", "--password-file", host.passwordFile], { name: "start" });
  const record = host.pidRecord();
  out(
    `ready ${JSON.stringify({ home: host.home, scratch: host.scratch, pid: record?.pid, node: record?.node?.pid, api: host.ports.api, rpc: host.deployment.rpcUrl })}`,
  );
  await signals.stopped;
}

try {
  const result = await runJourney({
    binary,
    keep: values.keep,
    onStop: signals.add,
    prompts: values.prompts ? Number(values.prompts) : undefined,
    onStep: (s) =>
      out(`[${String(s.index).padStart(2)}/${s.total}] ${s.ok ? "✓" : "✗"} ${s.name.padEnd(16)} ${(s.ms / 1000).toFixed(1).padStart(5)} s  ${s.detail ?? ""}`),
  });
  const { summary } = result;
  out("");
  out("Summary");
  out(`  tokens served     ${summary.tokensServed} in ${result.sessions.length} sessions (${result.sessions.map((s) => s.token).join(", ")})`);
  out(`  proofs on chain   ${summary.proofs}, for ${summary.tokensProven} tokens`);
  out(`  earnings credited ${Object.values(summary.credited).join(", ") || "none"}`);
  for (const bill of summary.billed) {
    const served = result.sessions.find((s) => s.jobId === bill.jobId)?.tokens;
    out(
      `    job ${bill.jobId} (${bill.token})   served ${served ?? "?"}, billed ${bill.tokensProved} tokens (${bill.billing ?? "open"}), credited ${bill.credited ?? "-"}`,
    );
  }
  out(`  withdrawn         ${Object.values(summary.withdrawn).join(", ") || "none"}`);
  if (summary.gas)
    out(`  gas spent         ${summary.gas.spentEth} ETH in ${summary.gas.transactions} transactions; net ${summary.gas.netEth} ETH (USDC not added in)`);
  if (values.keep) {
    out("");
    out("Still running (--keep). In a second terminal:");
    out(`  export FABSTIR_HOME=${result.home}`);
    out(`  ${binary} status`);
    out(
      `  bun scripts/devnet/client.ts --deployment ${join(result.scratch, "deployment.json")} --host ${JSON.parse(result.runs.init!.args.includes("--public-url") ? JSON.stringify(result.runs.init!.args[result.runs.init!.args.indexOf("--public-url") + 1]) : '""')} --token USDC`,
    );
    out("Press Ctrl-C (or send SIGTERM or SIGHUP) to stop everything.");
    await signals.stopped;
  } else {
    signals.dispose();
    out("");
    out("Everything was stopped. Run with --keep to explore the running host.");
  }
} catch (error) {
  const logs = (error as { logs?: string }).logs;
  process.stderr.write(`\nThe demo failed: ${(error as Error).message}\n${logs ? `\nLast host log lines:\n${logs}\n` : ""}`);
  process.exitCode = 1;
  signals.dispose();
}
