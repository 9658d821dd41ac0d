/**
 * Is the node's port free? Checked before each spawn so "port in use" (often a node left over from an earlier run)
 * is reported as such, not as a node that died with a bind error deep in its output.
 */
import { createServer } from "node:net";

export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}
