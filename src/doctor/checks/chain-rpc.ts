/**
 * Doctor check "rpc": every configured RPC URL asked for its chain id on its own (so a dead primary shows even when
 * the fallback hides it from commands), then the contract addresses checked for code through the pooled client.
 */
import { connectChain, resolveNetwork, rpcUrlLabel, type ChainClient } from "../../chain/index.ts";
import type { HostConfig } from "../../config/types.ts";
import type { FetchFn } from "../../context.ts";
import { isHostError } from "../../errors/host-error.ts";
import type { Clock } from "../../util/clock.ts";
import { fixFromHint } from "../fix-text.ts";
import type { CheckResult, DoctorCheck, DoctorContext } from "../types.ts";

const PROBE_TIMEOUT_MS = 5_000;

export interface EndpointProbe {
  url: string;
  ok: boolean;
  chainId: number | null;
  latencyMs: number | null;
  error: string | null;
}

export async function probeRpcUrl(fetchFn: FetchFn, url: string, clock: Clock): Promise<EndpointProbe> {
  const label = rpcUrlLabel(url);
  const started = clock.now();
  try {
    const response = await fetchFn(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (!response.ok) return { url: label, ok: false, chainId: null, latencyMs: null, error: `HTTP ${response.status}` };
    const body = (await response.json()) as { result?: string; error?: { message?: string } };
    if (!body.result) return { url: label, ok: false, chainId: null, latencyMs: null, error: body.error?.message ?? "no result" };
    return { url: label, ok: true, chainId: Number(BigInt(body.result)), latencyMs: clock.now() - started, error: null };
  } catch (error) {
    const name = (error as Error)?.name;
    return {
      url: label,
      ok: false,
      chainId: null,
      latencyMs: null,
      error: name === "TimeoutError" ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : ((error as Error)?.message ?? String(error)),
    };
  }
}

/** A chain client with short deadlines: doctor reports, it does not wait out outages. */
export function doctorChain(ctx: Pick<DoctorContext, "fetch" | "clock">, config: HostConfig): ChainClient {
  return connectChain(config, { fetch: ctx.fetch, clock: ctx.clock, pool: { requestTimeoutMs: PROBE_TIMEOUT_MS, maxRounds: 1 } });
}

/** Runs a check body with a chain client; a HostError (bad network config, every RPC down) becomes a fail line. */
export async function withDoctorChain(ctx: DoctorContext, work: (chain: ChainClient, config: HostConfig) => Promise<CheckResult>): Promise<CheckResult> {
  if (!ctx.config) return { status: "skip", summary: "config not loaded" };
  let chain: ChainClient;
  try {
    chain = doctorChain(ctx, ctx.config);
  } catch (error) {
    if (!isHostError(error)) throw error;
    return { status: "fail", summary: `${error.message} (${error.code})`, fix: fixFromHint(error.hint) };
  }
  try {
    return await work(chain, ctx.config);
  } catch (error) {
    if (!isHostError(error)) throw error;
    return { status: "fail", summary: `${error.message} (${error.code})`, fix: fixFromHint(error.hint) };
  } finally {
    chain.close();
  }
}

export const rpcCheck: DoctorCheck = {
  id: "rpc",
  title: "RPC endpoints",
  timeoutMs: 20_000,
  async run(ctx) {
    if (!ctx.config) return { status: "skip", summary: "config not loaded" };
    let network;
    try {
      network = resolveNetwork(ctx.config);
    } catch (error) {
      if (!isHostError(error)) throw error;
      return { status: "fail", summary: `${error.message} (${error.code})`, fix: fixFromHint(error.hint) };
    }
    const endpoints = await Promise.all(network.rpcUrls.map((url) => probeRpcUrl(ctx.fetch, url, ctx.clock)));
    const details = { network: network.name, expectedChainId: network.chainId, endpoints };
    const wrong = endpoints.filter((e) => e.ok && e.chainId !== network.chainId);
    if (wrong.length > 0) {
      return {
        status: "fail",
        summary: `${wrong.map((e) => `${e.url} is on chain id ${e.chainId}`).join("; ")}, but ${network.label} is chain id ${network.chainId}`,
        fix: "Point rpcUrls at endpoints of the configured network: fabstir-host config set rpcUrls <url>[,<fallback>]",
        details,
      };
    }
    const answering = endpoints.filter((e) => e.ok);
    if (answering.length === 0) {
      return {
        status: "fail",
        summary: `no RPC URL answers (${endpoints.map((e) => `${e.url}: ${e.error}`).join("; ")})`,
        fix: "Check the network connection and the provider; add a fallback: fabstir-host config set rpcUrls <primary>,<fallback>",
        details,
      };
    }
    const contracts = await withDoctorChain(ctx, async (chain) => {
      const check = await chain.verify();
      return { status: "pass", summary: `contracts deployed on chain id ${check.chainId}` };
    });
    if (contracts.status !== "pass") return { ...contracts, details };
    const down = endpoints.filter((e) => !e.ok);
    if (down.length > 0) {
      return {
        status: "warn",
        summary: `${down.map((e) => `${e.url} fails (${e.error})`).join("; ")}; failing over to ${answering[0]!.url}`,
        fix: endpoints[0]!.ok
          ? "Replace or remove the failing fallback in rpcUrls."
          : "The primary RPC is down; commands use the fallback. Fix or replace the primary in rpcUrls.",
        details,
      };
    }
    const single = endpoints.length === 1 ? "; no fallback configured" : "";
    return {
      status: "pass",
      summary: `${answering.length}/${endpoints.length} RPC URL${endpoints.length === 1 ? "" : "s"} answer on ${network.label} (chain id ${network.chainId}), contracts deployed${single}`,
      details,
    };
  },
};
