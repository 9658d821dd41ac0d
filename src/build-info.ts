/**
 * The version and commit baked in by `scripts/build.ts` (bun build --define). When running from source they fall
 * back to package.json and "source".
 */
import packageJson from "../package.json" with { type: "json" };

declare const FABSTIR_BUILD_VERSION: string | undefined;
declare const FABSTIR_BUILD_COMMIT: string | undefined;

export const buildInfo = {
  version: typeof FABSTIR_BUILD_VERSION === "string" ? FABSTIR_BUILD_VERSION : packageJson.version,
  commit: typeof FABSTIR_BUILD_COMMIT === "string" ? FABSTIR_BUILD_COMMIT : "source",
};

export function versionLine(info = buildInfo): string {
  return `fabstir-host ${info.version} (${info.commit})`;
}
