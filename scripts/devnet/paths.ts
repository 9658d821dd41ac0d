import { join, resolve } from "node:path";

/** Repository root (scripts/devnet/ is two levels below it). */
export const REPO_ROOT = resolve(import.meta.dir, "..", "..");

/** Git-ignored working folder of the devnet: artifact cache and deployment file. */
export const DEVNET_DIR = join(REPO_ROOT, ".devnet");
export const ARTIFACTS_DIR = join(DEVNET_DIR, "artifacts");
export const DEFAULT_DEPLOYMENT_FILE = join(DEVNET_DIR, "deployment.json");
export const CONTRACTS_DIR = join(import.meta.dir, "contracts");
