/**
 * fabstir-llm-node stand-in: speaks the real node's HTTP and WebSocket
 * protocol, prints its startup lines and (with a host key) submits checkpoint
 * proofs on chain, without a GPU or a model. Configured by environment
 * variables only, like the real node; see scripts/devnet/node-sim/README.md.
 *
 *   MODEL_PATH=./model.gguf API_PORT=0 bun scripts/devnet/node-sim.ts
 */
import { startNodeSim, StartupError, type NodeSimHandle } from "./node-sim/server.ts";

let handle: NodeSimHandle | undefined;
/** A signal that came while the node was still starting: acted on once it is up. */
let pendingSignal: string | undefined;
let shuttingDown = false;

function shutdown(signal: string): void {
  if (!handle) {
    pendingSignal = signal;
    return;
  }
  if (shuttingDown) {
    // A second signal means "now": skip the graceful close.
    process.exit(130);
  }
  shuttingDown = true;
  // The real node's lines (fabstir-llm-node@85a87b8 src/main.rs:687, 693).
  process.stdout.write(`\n⏹️  Shutting down... (${signal})\n`);
  void handle.stop().then(
    () => {
      process.stdout.write("👋 Goodbye!\n");
      process.exit(0);
    },
    () => process.exit(1),
  );
}

// Handlers go in before the readiness lines are printed, so a supervisor that signals right after them is heard.
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => {
  // SIM_IGNORE_SIGTERM plays a wedged node, so supervisors can test their SIGKILL escalation.
  const ignore = (process.env.SIM_IGNORE_SIGTERM ?? "").trim();
  if (ignore !== "" && ignore !== "0" && ignore.toLowerCase() !== "false" && ignore.toLowerCase() !== "no") {
    process.stdout.write("⚠️  Ignoring SIGTERM (SIM_IGNORE_SIGTERM)\n");
    return;
  }
  shutdown("SIGTERM");
});

try {
  handle = await startNodeSim(process.env);
} catch (error) {
  if (error instanceof StartupError) {
    process.stderr.write(`❌ Error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
if (pendingSignal) shutdown(pendingSignal);
