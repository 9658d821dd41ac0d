/**
 * fabstir-llm-node stand-in: speaks the real node's HTTP and WebSocket
 * protocol, prints its startup lines and (with a host key) submits checkpoint
 * proofs on chain, without a GPU or a model. Configured by environment
 * variables only, like the real node; see scripts/devnet/node-sim/README.md.
 *
 *   MODEL_PATH=./model.gguf API_PORT=0 bun scripts/devnet/node-sim.ts
 */
import { startNodeSim, StartupError } from "./node-sim/server.ts";

async function main(): Promise<void> {
  let node;
  try {
    node = await startNodeSim(process.env);
  } catch (error) {
    if (error instanceof StartupError) {
      process.stderr.write(`❌ Error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const handle = node;

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) {
      // A second signal means "now": skip the graceful close.
      process.exit(130);
    }
    shuttingDown = true;
    process.stdout.write(`🛑 Received ${signal}, shutting down...\n`);
    void handle.stop().then(
      () => {
        process.stdout.write("👋 Fabstir LLM Node stopped\n");
        process.exit(0);
      },
      () => process.exit(1),
    );
  };

  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => {
    // SIM_IGNORE_SIGTERM plays a wedged node, so supervisors can test their SIGKILL escalation.
    if (handle.config.sim.ignoreSigterm) {
      process.stdout.write("⚠️  Ignoring SIGTERM (SIM_IGNORE_SIGTERM)\n");
      return;
    }
    shutdown("SIGTERM");
  });
}

await main();
