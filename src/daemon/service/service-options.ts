/** What the three service commands share: scope flags, the hidden unit directory, and the machine they act on. */
import type { HostContext } from "../../context.ts";
import type { ServiceScope } from "./systemd-unit.ts";
import { HostError } from "../../errors/host-error.ts";
import { CoreErrors } from "../../errors/codes/core.ts";

export const SYSTEM_HOME = "/var/lib/fabstir-host";

export function scopeFrom(system: boolean, user: boolean): ServiceScope | undefined {
  if (system && user) throw new HostError(CoreErrors.USAGE, "--system and --user cannot be used together.", { hint: "Try: pick one of them" });
  return system ? "system" : user ? "user" : undefined;
}

/** Unit files go elsewhere for tests and unusual layouts: --unit-dir, or FABSTIR_UNIT_DIR. */
export function unitDirFrom(context: HostContext, flag: string | undefined): string | undefined {
  return flag ?? (context.env.FABSTIR_UNIT_DIR || undefined);
}
