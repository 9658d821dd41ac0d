/** The built-in checks, in the order the report lists them. */
import type { DoctorCheck } from "../types.ts";
import { configCheck } from "./config.ts";
import { gpuCheck } from "./gpu.ts";
import { systemCheck } from "./system.ts";
import { nodeBinaryCheck, nodeVariantCheck } from "./node-build.ts";
import { vramCheck } from "./vram.ts";
import { diskCheck } from "./disk.ts";
import { portsCheck } from "./ports.ts";
import { publicUrlCheck } from "./public-url.ts";
import { clockCheck } from "./clock.ts";
import { keychainCheck } from "./keychain.ts";
import { signerCheck } from "./signer.ts";

export function builtinChecks(): DoctorCheck[] {
  return [configCheck, systemCheck, gpuCheck, nodeBinaryCheck, nodeVariantCheck, vramCheck, diskCheck, portsCheck, publicUrlCheck, clockCheck, keychainCheck, signerCheck];
}
