/**
 * The list of doctor checks. Built-in checks cover the machine (GPU, node build, VRAM, disk, ports, URL, clock,
 * keychain, signer) and the node as it really runs (its CUDA libraries and driver, S5, its signer's chain, its open
 * internal port, keyless mode). Checks that need the chain or an unlocked wallet are added by their owners with
 * registerDoctorCheck(); these ids are reserved for them, in this order after the built-ins:
 *
 *   "rpc"          RPC reachable and on the configured chain (chain id matches)
 *   "wallet"       wallet present and unlockable (keychain entry or keystore + password source)
 *   "balances"     ETH for gas, FAB for the stake
 *   "registration" registered on NodeRegistry, API URL and models as configured, every model priced for both tokens
 *   "economics"    every price on chain at or above break-even at the current fees (src/doctor/checks/economics.ts)
 *
 * A check registered with an existing id replaces it.
 */
import type { DoctorCheck } from "./types.ts";
import { builtinChecks } from "./checks/index.ts";

export const RESERVED_CHECK_IDS = ["rpc", "wallet", "balances", "registration"] as const;

const registered: DoctorCheck[] = [];

export function registerDoctorCheck(check: DoctorCheck): void {
  const at = registered.findIndex((c) => c.id === check.id);
  if (at >= 0) registered[at] = check;
  else registered.push(check);
}

/** Removes a registered check (tests). */
export function unregisterDoctorCheck(id: string): void {
  const at = registered.findIndex((c) => c.id === id);
  if (at >= 0) registered.splice(at, 1);
}

/** Built-ins, with registered checks replacing same-id built-ins or appended in registration order. */
export function doctorChecks(): DoctorCheck[] {
  const list = builtinChecks();
  for (const check of registered) {
    const at = list.findIndex((c) => c.id === check.id);
    if (at >= 0) list[at] = check;
    else list.push(check);
  }
  return list;
}
