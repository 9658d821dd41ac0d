/**
 * The count salvage as its own short-lived process: the orphan watchdog runs it (the binary with
 * FABSTIR_SALVAGE_CHILD=1 and the config directory as its one argument) when the host died and its node is about to
 * be stopped. It finds the node's port in the dead host's PID file, reads what the node knows of every unfinished
 * session into the proof journal (job ids; never a count above the delivered one, see salvage.ts), and exits. It never unlocks the key and sends nothing on chain: the
 * next host's pipeline proves what the journal now says.
 */
import { pathsFor, type Paths } from "../config/paths.ts";
import { readDaemonState } from "../daemon/pid-file.ts";
import { createFileLogger } from "../ops/logging/logger.ts";
import { salvageNodeCounts } from "./salvage.ts";

export async function runSalvageChild(argv: string[]): Promise<number> {
  const home = argv[0];
  if (!home) return 2;
  const paths = pathsFor(home);
  // A host with several nodes names each further node's own port as a second argument (src/daemon/start.ts).
  const port = /^\d{1,5}$/.test(argv[1] ?? "") ? Number(argv[1]) : nodePort(paths);
  if (!port) return 1;
  const logger = createFileLogger({ logsDir: paths.logsDir, component: "proofs", level: "info" });
  try {
    const result = await salvageNodeCounts(paths.stateDir, `http://127.0.0.1:${port}`, fetch, logger);
    if (result.sessions > 0) logger.info("counts read from a node whose host died", { sessions: result.sessions, updated: result.updated });
    return 0;
  } finally {
    await logger.close();
  }
}

/** The dead host's PID file names the node's loopback port (set once the node was ready). */
function nodePort(paths: Paths): number | null | undefined {
  const state = readDaemonState(paths);
  return state.status === "not-running" ? null : state.record?.ports.internal;
}
