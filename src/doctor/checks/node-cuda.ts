/**
 * The CUDA libraries the node binary links, and the driver its CUDA version needs. The only build shipped is CUDA 13
 * (fabstir-llm-node@85a87b8 Dockerfile.production:3, `nvidia/cuda:13.0.0-runtime-ubuntu22.04`), and the node's README
 * checks a build with `ldd target/release/fabstir-llm-node | grep cuda` (README.md:365-366). A library the loader
 * cannot find stops the node before its first line; a driver older than the CUDA version fails at model load.
 */
import { execFile } from "node:child_process";
import type { DoctorCheck } from "../types.ts";
import { describeNodeBinary } from "../../node/install/installed.ts";

export interface LddResult {
  ok: boolean;
  /** ldd's stdout (or its error text). */
  output: string;
}

export type LddRunner = (binary: string, env: Record<string, string>) => Promise<LddResult | null>;

/** Runs the system's ldd; null when there is none (not Linux, a minimal image). */
export const systemLdd: LddRunner = (binary, env) =>
  new Promise((resolve) => {
    execFile("ldd", [binary], { env, timeout: 10_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") return resolve(null);
      resolve({ ok: !error, output: `${stdout}${stderr}` });
    });
  });

/** Lowest Linux driver per CUDA major (NVIDIA's CUDA toolkit release notes, "CUDA Toolkit and Minimum Driver Versions"). */
export const MIN_DRIVER: Record<number, string> = { 13: "580", 12: "525" };

export interface LinkedLibraries {
  dynamic: boolean;
  missing: string[];
  cuda: string[];
  /** From libcudart.so.<major>, when linked. */
  cudaMajor: number | null;
}

export function parseLdd(output: string): LinkedLibraries {
  if (/not a dynamic executable|statically linked/.test(output)) return { dynamic: false, missing: [], cuda: [], cudaMajor: null };
  const missing: string[] = [];
  const cuda: string[] = [];
  for (const line of output.split("\n")) {
    const name = /^\s*(\S+)\s+=>/.exec(line)?.[1] ?? /^\s*(\S+\.so[.\d]*)\s+\(/.exec(line)?.[1];
    if (!name) continue;
    if (/=>\s*not found/.test(line)) missing.push(name);
    if (/^lib(cudart|cublas|cublasLt|cuda|nccl|curand|cusparse|cufft)\.so/.test(name)) cuda.push(name);
  }
  const major = cuda.map((n) => /^libcudart\.so\.(\d+)/.exec(n)?.[1]).find(Boolean);
  return { dynamic: true, missing, cuda, cudaMajor: major ? Number(major) : null };
}

const VARIANT_MAJOR: Record<string, number | null> = { cuda13: 13, cuda12: 12, cpu: null };

export function makeNodeCudaCheck(ldd: LddRunner = systemLdd): DoctorCheck {
  return {
    id: "node-cuda",
    title: "Node CUDA libraries and driver",
    async run(ctx) {
      if (!ctx.config) return { status: "skip", summary: "config not loaded" };
      let resolved;
      try {
        resolved = describeNodeBinary(ctx.paths, ctx.config);
      } catch {
        return { status: "skip", summary: "no node binary (see the node binary check)" };
      }
      const env: Record<string, string> = { PATH: ctx.env.PATH ?? "/usr/bin:/bin" };
      if (ctx.env.LD_LIBRARY_PATH) env.LD_LIBRARY_PATH = ctx.env.LD_LIBRARY_PATH;
      const answer = ctx.platform === "linux" ? await ldd(resolved.path, env) : null;
      const libs = answer ? parseLdd(answer.output) : null;
      const needed = libs?.cudaMajor ?? (resolved.build ? (VARIANT_MAJOR[resolved.build.variant] ?? null) : null);
      const problems: string[] = [];
      const fixes: string[] = [];
      if (libs && libs.missing.length > 0) {
        problems.push(`the loader cannot find ${libs.missing.join(", ")}`);
        const driverLib = libs.missing.some((n) => n.startsWith("libcuda.so"));
        fixes.push(
          `Install the CUDA ${needed ?? 13} runtime libraries (NVIDIA's repository: \`sudo apt install cuda-libraries-${needed ?? 13}-0\`) or add their folder to LD_LIBRARY_PATH${driverLib ? "; libcuda.so.1 comes with the NVIDIA driver itself" : ""}; or run the host's Docker image, which carries them.`,
        );
      }
      const gpu = needed ? await ctx.gpu() : null;
      const supported = gpu?.kind === "nvidia" ? Number.parseInt(gpu.cudaVersion ?? "0", 10) || 0 : 0;
      if (needed && supported < needed) {
        problems.push(
          gpu?.kind === "nvidia"
            ? `it is a CUDA ${needed} build and driver ${gpu.driverVersion ?? "?"} supports CUDA ${gpu.cudaVersion ?? "?"} (CUDA ${needed} needs driver ≥ ${MIN_DRIVER[needed] ?? "?"})`
            : `it is a CUDA ${needed} build and no working NVIDIA driver was found`,
        );
        fixes.push(`Install NVIDIA driver ${MIN_DRIVER[needed] ?? "?"} or newer, reboot, and check \`nvidia-smi\` shows CUDA Version ${needed}.0 or later.`);
      }
      const details = {
        binary: resolved.path,
        dynamic: libs?.dynamic ?? null,
        cudaLibraries: libs?.cuda ?? [],
        missing: libs?.missing ?? [],
        cudaNeeded: needed,
        driverVersion: gpu?.driverVersion ?? null,
        driverCuda: gpu?.cudaVersion ?? null,
      };
      if (problems.length > 0) return { status: "fail", summary: `the node cannot run on the GPU: ${problems.join("; ")}`, fix: fixes.join(" "), details };
      if (!answer) return { status: "skip", summary: "ldd is not available here: the libraries the node links were not checked", details };
      if (!libs!.dynamic)
        return {
          status: "skip",
          summary: "the node binary is not a dynamically linked executable (a wrapper script?): its libraries were not checked",
          details,
        };
      const linked = libs!.cuda.length ? `links ${libs!.cuda.join(", ")}, all found` : "links no CUDA library (a CPU build)";
      return { status: "pass", summary: needed ? `${linked}; driver ${gpu?.driverVersion} supports CUDA ${gpu?.cudaVersion}` : linked, details };
    },
  };
}

export const nodeCudaCheck = makeNodeCudaCheck();
