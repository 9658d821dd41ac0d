/**
 * The chain layer's public API. Everything else in src/chain is an implementation detail.
 *
 *   const chain = connectChain(config, { fetch: context.fetch, logger: context.logger });
 *   await chain.verify();                                    // right chain, contracts deployed
 *   const stake = await chain.contracts.nodeRegistry.MIN_STAKE();
 *   const sender = await chain.sender(signer, context.paths.stateDir);
 *   const { to, data } = await chain.contracts.nodeRegistry.updateApiUrl.populateTransaction(url);
 *   await sender.submit({ key: `api-url:${address}:${url}`, to: to!, data, description: "update the API URL" });
 */
export * from "./abi/index.ts";
export { findAbiDrift, formatAbiDrift, type AbiDrift } from "./abi/compat.ts";
export * from "./contracts.ts";
export { BASE_SEPOLIA_CONTRACTS, CONTRACT_KEYS, NETWORK_PRESETS, explorerTxUrl, resolveNetwork, type ReadTextFile, type ResolvedNetwork } from "./networks.ts";
export { verifyNetwork, type NetworkCheck, type RpcSender } from "./verify-network.ts";
export { connectChain, type ChainClient, type ConnectOptions } from "./client.ts";
export { readHostSnapshot, type HostChainSnapshot } from "./snapshot.ts";
export { RpcPool, type PoolTotals, type RpcPoolOptions } from "./rpc/pool.ts";
export { PooledProvider, createPooledProvider, type PooledProviderOptions } from "./rpc/provider.ts";
export { isTransientRpcError, isTransientHttpStatus } from "./rpc/classify.ts";
export { rpcUrlLabel } from "./rpc/url-label.ts";
export type { EndpointStats, RpcPayload, RpcResponse } from "./rpc/types.ts";
export { TxSender, type SubmitOptions, type TxSenderOptions } from "./tx/sender.ts";
export { IntentJournal } from "./tx/journal.ts";
export { decodeRevertData, revertFromError, type DecodedRevert } from "./tx/revert.ts";
export { formatGwei, gweiToWei } from "./tx/fees.ts";
export type { IntentRecord, IntentState, RecoveryOutcome, TxAttempt, TxHooks, TxIntent, TxResult, TxSigner, TxStep } from "./tx/types.ts";
