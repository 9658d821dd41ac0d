/** The warnings an install or uninstall gives, each under its stable code (src/errors/codes/warnings.ts). */
import { Warnings } from "../../errors/codes/warnings.ts";
import type { ServiceWarning } from "./service-types.ts";

/** A service or task file someone changed by hand was left as it is. */
export function editedWarning(message: string): ServiceWarning {
  return { code: Warnings.UNIT_EDITED.code, message };
}

/** The service was installed, and something it needs is still to be done (a password file, lingering, a firewall rule). */
export function setupWarning(message: string): ServiceWarning {
  return { code: Warnings.SERVICE_SETUP.code, message };
}
