/**
 * Every error code of the project, by domain. The docs generator and the code-coverage test read this. FH0500–FH0599
 * are not assigned: what the public port refuses is answered with the node's protocol codes (src/session/job-gate.ts),
 * and proof failures are the chain layer's (FH0200–FH0299).
 */
import type { ErrorCode } from "./define.ts";
import { CoreErrors } from "./core.ts";
import { WalletErrors } from "./wallet.ts";
import { ChainErrors } from "./chain.ts";
import { HostErrors } from "./host.ts";
import { HostLedgerErrors } from "./host-ledger.ts";
import { NodeErrors } from "./node.ts";
import { SupervisorErrors } from "./supervisor.ts";
import { OpsErrors } from "./ops.ts";
import { ShipErrors } from "./ship.ts";
import { Warnings } from "./warnings.ts";

export { CoreErrors, WalletErrors, ChainErrors, HostErrors, HostLedgerErrors, NodeErrors, SupervisorErrors, OpsErrors, ShipErrors, Warnings };

export const allErrorCodes: ErrorCode[] = [
  CoreErrors,
  WalletErrors,
  ChainErrors,
  HostErrors,
  HostLedgerErrors,
  NodeErrors,
  SupervisorErrors,
  OpsErrors,
  ShipErrors,
  Warnings,
]
  .flatMap((group) => Object.values(group as Record<string, ErrorCode>))
  .sort((a, b) => a.code.localeCompare(b.code));
