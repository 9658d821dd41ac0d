/** node.signer = "node" on a chain the node's own signer cannot sign for. */
import type { DoctorCheck } from "../types.ts";
import { NODE_SIGNER_CHAIN_ID } from "../../node/facts/node-behaviour.ts";

export const nodeSignerChainCheck: DoctorCheck = {
  id: "node-signer-chain",
  title: "Node signer and chain",
  async run(ctx) {
    if (!ctx.config) return { status: "skip", summary: "config not loaded" };
    const { chainId } = ctx.config;
    const details = { signer: ctx.config.node.signer, chainId, nodeSignerChainId: NODE_SIGNER_CHAIN_ID };
    if (ctx.config.node.signer !== "node")
      return { status: "pass", summary: "node.signer = cli: this CLI signs every proof for the configured chain", details };
    if (chainId === NODE_SIGNER_CHAIN_ID)
      return { status: "pass", summary: `the node signs its checkpoints for chain ${chainId} (Base Sepolia), the configured chain`, details };
    return {
      status: "warn",
      summary: `node.signer = node on chain ${chainId}: the node signs checkpoints for chain ${NODE_SIGNER_CHAIN_ID} only, so every proof it sends is rejected; this CLI submits them after proofs.graceSeconds instead`,
      fix: "Run `fabstir-host config set node.signer cli` so this CLI proves everything at once (the node then refuses encrypted sessions), or serve Base Sepolia (chain 84532).",
      details,
    };
  },
};
