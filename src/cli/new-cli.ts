/** An empty command tree with the binary's name and version: the full tree and the lazy one start from it. */
import { buildInfo } from "../build-info.ts";
import { FabstirCli } from "./fabstir-cli.ts";

export function newCli(): FabstirCli {
  return new FabstirCli({
    binaryLabel: "fabstir-host",
    binaryName: "fabstir-host",
    binaryVersion: buildInfo.version,
    enableCapture: false,
  });
}
