/**
 * Runs one solc-js compilation off the main thread, so the two halves of the devnet
 * build (see compile.ts) use both cores.
 */
import { createRequire } from "node:module";

declare const self: Worker;

const require = createRequire(import.meta.url);

self.onmessage = (event: MessageEvent<string>) => {
  const solc = require("solc") as { compile(input: string): string };
  self.postMessage(solc.compile(event.data));
};
