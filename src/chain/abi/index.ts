/**
 * The project's own ABI fragments: exactly the functions, events and errors the CLI uses, in human-readable form and
 * `as const`, so a typo is a compile error and the compatibility test (tests/unit/chain/abi-compat.test.ts) can hold
 * every entry against the ABIs the live contracts answer to.
 */
import { Interface } from "ethers";
import { ERC20_ABI } from "./erc20.ts";
import { NODE_REGISTRY_ABI } from "./node-registry.ts";
import { JOB_MARKETPLACE_ABI, SessionStatus } from "./job-marketplace.ts";
import { HOST_EARNINGS_ABI } from "./host-earnings.ts";
import { MODEL_REGISTRY_ABI } from "./model-registry.ts";
import { LIVE_ERRORS, PAUSABLE_ERRORS, TOKEN_ERRORS } from "./errors.ts";

export { ERC20_ABI, NODE_REGISTRY_ABI, JOB_MARKETPLACE_ABI, HOST_EARNINGS_ABI, MODEL_REGISTRY_ABI, SessionStatus };
export { LIVE_ERRORS, PAUSABLE_ERRORS, TOKEN_ERRORS };

/** Each fragment list with the name of the published ABI file it must agree with. */
export const PROJECT_ABIS = {
  ERC20: ERC20_ABI,
  NodeRegistryWithModels: NODE_REGISTRY_ABI,
  JobMarketplaceWithModels: JOB_MARKETPLACE_ABI,
  HostEarnings: HOST_EARNINGS_ABI,
  ModelRegistry: MODEL_REGISTRY_ABI,
} as const;

export type ProjectContractName = keyof typeof PROJECT_ABIS;

let errorsInterface: Interface | undefined;

/** Every custom error any of our contracts (or a token) may revert with, for decoding revert data. */
export function knownErrorsInterface(): Interface {
  errorsInterface ??= new Interface([...LIVE_ERRORS, ...PAUSABLE_ERRORS, ...TOKEN_ERRORS]);
  return errorsInterface;
}
