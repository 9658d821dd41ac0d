/**
 * For commands that only read the chain (models, pricing show): the config and a verified chain client, with the
 * host address when a wallet is configured. Needs no key and never asks for a password.
 */
import type { ChainClient } from "../../chain/index.ts";
import { loadConfig } from "../../config/store.ts";
import type { HostConfig } from "../../config/types.ts";
import type { HostContext } from "../../context.ts";

export interface ChainReader {
  config: HostConfig;
  chain: ChainClient;
  /** The configured host address, or null before a wallet exists. */
  address: string | null;
  close(): void;
}

export async function openReader(context: HostContext): Promise<ChainReader> {
  const { config } = await loadConfig(context);
  const chain = context.services.connectChain(config, { fetch: context.fetch, clock: context.clock, logger: context.logger });
  const close = () => chain.close();
  try {
    await chain.verify();
  } catch (error) {
    close();
    throw error;
  }
  return { config, chain, address: config.wallet?.address ?? null, close };
}

export async function withReader<T>(context: HostContext, work: (reader: ChainReader) => Promise<T>): Promise<T> {
  const reader = await openReader(context);
  try {
    return await work(reader);
  } finally {
    reader.close();
  }
}
