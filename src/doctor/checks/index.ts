/** The built-in checks, in the order the report lists them. */
import type { DoctorCheck } from "../types.ts";
import { configCheck } from "./config.ts";
import { gpuCheck } from "./gpu.ts";
import { systemCheck } from "./system.ts";
import { nodeBinaryCheck, nodeVariantCheck } from "./node-build.ts";
import { vramCheck } from "./vram.ts";
import { nodeInstancesCheck } from "./node-instances.ts";
import { diskCheck } from "./disk.ts";
import { portsCheck } from "./ports.ts";
import { publicUrlCheck } from "./public-url.ts";
import { clockCheck } from "./clock.ts";
import { keychainCheck } from "./keychain.ts";
import { signerCheck } from "./signer.ts";
import { nodeCudaCheck } from "./node-cuda.ts";
import { s5Check } from "./s5.ts";
import { nodeSignerChainCheck } from "./node-chain.ts";
import { nodeExposureCheck } from "./node-exposure.ts";
import { encryptedSessionsCheck } from "./encrypted-sessions.ts";

export function builtinChecks(): DoctorCheck[] {
  return [
    configCheck,
    systemCheck,
    gpuCheck,
    nodeBinaryCheck,
    nodeVariantCheck,
    vramCheck,
    nodeInstancesCheck,
    diskCheck,
    portsCheck,
    publicUrlCheck,
    clockCheck,
    keychainCheck,
    signerCheck,
    nodeCudaCheck,
    s5Check,
    nodeSignerChainCheck,
    nodeExposureCheck,
    encryptedSessionsCheck,
  ];
}
