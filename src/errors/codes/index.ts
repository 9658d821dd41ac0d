/** Every error code of the project, by domain. The docs generator and the code-coverage test read this. */
import type { ErrorCode } from "./define.ts";
import { CoreErrors } from "./core.ts";
import { WalletErrors } from "./wallet.ts";
import { ChainErrors } from "./chain.ts";
import { HostErrors } from "./host.ts";
import { HostLedgerErrors } from "./host-ledger.ts";
import { NodeErrors } from "./node.ts";
import { SupervisorErrors } from "./supervisor.ts";
import { SessionErrors } from "./session.ts";
import { OpsErrors } from "./ops.ts";
import { ShipErrors } from "./ship.ts";
import { Warnings } from "./warnings.ts";

export { CoreErrors, WalletErrors, ChainErrors, HostErrors, HostLedgerErrors, NodeErrors, SupervisorErrors, SessionErrors, OpsErrors, ShipErrors, Warnings };

export const allErrorCodes: ErrorCode[] = [
  CoreErrors,
  WalletErrors,
  ChainErrors,
  HostErrors,
  HostLedgerErrors,
  NodeErrors,
  SupervisorErrors,
  SessionErrors,
  OpsErrors,
  ShipErrors,
  Warnings,
]
  .flatMap((group) => Object.values(group as Record<string, ErrorCode>))
  .sort((a, b) => a.code.localeCompare(b.code));
