/** s5.url: without an S5 bridge the node's proofs and checkpoint deltas never leave its memory. */
import type { DoctorCheck } from "../types.ts";
import { NO_S5_CONSEQUENCE } from "../../node/facts/node-behaviour.ts";

export const s5Check: DoctorCheck = {
  id: "s5",
  title: "S5 storage for proofs",
  async run(ctx) {
    if (!ctx.config) return { status: "skip", summary: "config not loaded" };
    const url = ctx.config.s5?.url ?? null;
    if (url) return { status: "pass", summary: `the node stores proofs and checkpoints through ${url} (ENHANCED_S5_URL)`, details: { url } };
    return {
      status: "warn",
      summary: `s5.url is not set: ${NO_S5_CONSEQUENCE}`,
      // The node's own compose file runs the bridge on port 5522 (fabstir-llm-node@85a87b8 docker-compose.s5-bridge.yml,
      // src/storage/enhanced_s5_client.rs:22).
      fix: "Run an S5 bridge beside the node (the node's docker-compose.s5-bridge.yml listens on 5522), then `fabstir-host config set s5.url http://127.0.0.1:5522` and restart the host.",
      details: { url: null },
    };
  },
};
