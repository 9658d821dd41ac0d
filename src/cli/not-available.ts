/** Commands that are part of the tree but not built yet answer with FH0000 rather than pretending. */
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";

export function notAvailable(commandLine: string): never {
  throw new HostError(CoreErrors.NOT_AVAILABLE, `\`fabstir-host ${commandLine}\` is not available yet in this version.`);
}
