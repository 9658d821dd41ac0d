/** node.signer = "cli": the keyless node refuses the encrypted sessions the SDK opens by default. */
import type { DoctorCheck } from "../types.ts";
import { KEYLESS_NODE_FIX, KEYLESS_NODE_WARNING } from "../../node/facts/node-behaviour.ts";

export const encryptedSessionsCheck: DoctorCheck = {
  id: "encrypted-sessions",
  title: "Encrypted sessions",
  async run(ctx) {
    if (!ctx.config) return { status: "skip", summary: "config not loaded" };
    if (ctx.config.node.signer === "node")
      return { status: "pass", summary: "the node holds the host key and can decrypt sessions (the SDK's default)", details: { signer: "node" } };
    return { status: "warn", summary: KEYLESS_NODE_WARNING, fix: KEYLESS_NODE_FIX, details: { signer: "cli" } };
  },
};
