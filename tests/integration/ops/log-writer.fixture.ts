/**
 * A stand-in for the running host (started by resilience.test.ts as a child process): serves the operations
 * endpoint and writes a log line every 20 ms until it receives SIGTERM.
 */
import { createComponentLogger } from "../../../src/ops/logging/logger.ts";
import { createHostMetrics } from "../../../src/ops/metrics/host-metrics.ts";
import { HealthState } from "../../../src/ops/http/health-state.ts";
import { startOpsServer } from "../../../src/ops/http/ops-server.ts";

const logsDir = process.argv[2]!;
const logger = createComponentLogger({ logsDir }, "front", { level: "info", maxSizeMb: 1, maxFiles: 3 }, { checkMs: 0 });
const server = startOpsServer({ listen: "127.0.0.1:0", metrics: createHostMetrics({ build: { version: "t", commit: "t" } }), health: new HealthState() });
let n = 0;
const timer = setInterval(() => logger.info("serving", { n: n++ }), 20);
process.stdout.write(`ready ${server.port}\n`);
process.on("SIGTERM", async () => {
  clearInterval(timer);
  await server.stop();
  await logger.close();
  process.exit(0);
});
