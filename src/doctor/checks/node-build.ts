/** The node binary, and whether the installed build's CUDA version fits the driver. */
import type { DoctorCheck } from "../types.ts";
import { describeNodeBinary } from "../../node/install/installed.ts";
import { chooseVariant } from "../../node/install/variant.ts";
import { VARIANTS } from "../../node/install/manifest.ts";
import { isHostError } from "../../errors/host-error.ts";
import { fixFromHint } from "../fix-text.ts";

export const nodeBinaryCheck: DoctorCheck = {
  id: "node-binary",
  title: "Node binary installed",
  async run(ctx) {
    if (!ctx.config) return { status: "skip", summary: "config not loaded" };
    try {
      const resolved = describeNodeBinary(ctx.paths, ctx.config);
      const what = resolved.build
        ? `${resolved.build.id} (${resolved.source === "selected" ? "chosen with node use" : "newest installed"})`
        : "node.binaryPath";
      return {
        status: "pass",
        summary: `${what}: ${resolved.path}`,
        details: { path: resolved.path, source: resolved.source, id: resolved.build?.id ?? null },
      };
    } catch (error) {
      if (!isHostError(error)) throw error;
      return { status: "fail", summary: error.message, fix: fixFromHint(error.hint, "Run `fabstir-host node install`.") };
    }
  },
};

export const nodeVariantCheck: DoctorCheck = {
  id: "node-variant",
  title: "Node build vs driver",
  async run(ctx) {
    if (!ctx.config) return { status: "skip", summary: "config not loaded" };
    if (ctx.config.node.binaryPath) return { status: "skip", summary: "custom binary (node.binaryPath): its CUDA version is unknown" };
    // Without a manifest there is nothing to choose from: the one build released is CUDA 13 (fabstir-llm-node@85a87b8
    // Dockerfile.production:3), and the node CUDA check says whether the driver and libraries fit it.
    if (!ctx.config.node.manifestUrl)
      return { status: "skip", summary: "no release manifest to pick a variant from: the one node build released is CUDA 13 (see the node CUDA check)" };
    let build;
    try {
      build = describeNodeBinary(ctx.paths, ctx.config).build;
    } catch {
      return { status: "skip", summary: "no node build installed (see the node binary check)" };
    }
    if (!build) return { status: "skip", summary: "no installed build in use" };
    const gpu = await ctx.gpu();
    const best = chooseVariant(gpu, build.platform === "linux-arm64" ? "linux-arm64" : "linux-x64");
    const installed = VARIANTS.indexOf(build.variant);
    const fits = VARIANTS.indexOf(best.variant);
    const details = { installed: build.variant, recommended: best.variant, cudaVersion: gpu.cudaVersion };
    if (installed < fits) {
      // A CUDA build newer than the driver supports fails at start-up (or silently falls back to CPU).
      return {
        status: "fail",
        summary: `${build.id} needs ${build.variant === "cuda13" ? "CUDA 13" : "CUDA 12"}, but ${best.reason}`,
        fix: `Update the NVIDIA driver, or run \`fabstir-host node install ${build.version} --variant ${best.variant}\` then \`fabstir-host node use ${build.version}-${best.variant}\`.`,
        details,
      };
    }
    if (installed > fits) {
      return {
        status: "warn",
        summary: `${build.id} is installed, but this machine can run the faster ${best.variant} build`,
        fix: `Run \`fabstir-host node install ${build.version}\` (it picks ${best.variant}), then \`fabstir-host node use ${build.version}-${best.variant}\`.`,
        details,
      };
    }
    return { status: "pass", summary: `${build.id} fits: ${best.reason}`, details };
  },
};
