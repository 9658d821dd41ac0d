/** Says plainly what `node.signer = "node"` exposes: the key sits in the node process's environment. */
import type { DoctorCheck } from "../types.ts";

export const signerCheck: DoctorCheck = {
  id: "signer",
  title: "Checkpoint signer",
  async run(ctx) {
    if (!ctx.config) return { status: "skip", summary: "config not loaded" };
    if (ctx.config.node.signer === "node") {
      return {
        status: "warn",
        summary:
          "node.signer = node: the host key is passed to fabstir-llm-node as HOST_PRIVATE_KEY; its environment (/proc/<pid>/environ) is readable by this user and by root",
        fix: "Run the host as a dedicated user on a machine whose root you trust; or set node.signer to cli (the key stays in fabstir-host, but the node cannot decrypt encrypted sessions).",
        details: { signer: "node" },
      };
    }
    return { status: "pass", summary: "node.signer = cli: the key stays in fabstir-host; the node never sees it", details: { signer: "cli" } };
  },
};
