/**
 * The chain-backed doctor checks, under the ids the registry reserves for them: rpc, wallet, balances, registration.
 * `registerChainDoctorChecks()` adds them (idempotent: a same-id registration replaces the earlier one).
 */
import { registerDoctorCheck } from "../registry.ts";
import type { DoctorCheck } from "../types.ts";
import { balancesCheck, registrationCheck, walletCheck } from "./chain-host.ts";
import { rpcCheck } from "./chain-rpc.ts";
import { economicsCheck } from "./economics.ts";

export const CHAIN_DOCTOR_CHECKS: readonly DoctorCheck[] = [rpcCheck, walletCheck, balancesCheck, registrationCheck, economicsCheck];

export function registerChainDoctorChecks(): void {
  for (const check of CHAIN_DOCTOR_CHECKS) registerDoctorCheck(check);
}
