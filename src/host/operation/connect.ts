/**
 * What every on-chain host command starts from: the validated config, the chain client on its RPC pool (verified to
 * be the right chain with the contracts deployed), the host wallet (address and public key without a password), and,
 * only for commands that send transactions, the journaled sender after a lazy unlock.
 */
import type { HostContext } from "../../context.ts";
import type { HostConfig } from "../../config/types.ts";
import { loadConfig } from "../../config/store.ts";
import type { ChainClient, TxSender } from "../../chain/index.ts";
// The wallet modules it needs, not the wallet's whole surface (index.ts): that loads key creation and import, and with
// them ethers' signing curve, which a read-only command such as `status` never uses (about 1 ms of its start-up).
import { openHostWallet, type HostWallet } from "../../wallet/signer.ts";
import { walletDepsFrom } from "../../wallet/deps.ts";
import { HostError } from "../../errors/host-error.ts";
import { WalletErrors } from "../../errors/codes/wallet.ts";
import { CoreErrors } from "../../errors/codes/core.ts";

export interface HostSession {
  config: HostConfig;
  chain: ChainClient;
  wallet: HostWallet;
  address: string;
  /** Unlocks the key (asking for a password only now, and only for keystores) and returns the host's sender. */
  sender(): Promise<TxSender>;
  close(): void;
}

export interface OpenHostOptions {
  /** --password-file of the command, if it has one. */
  passwordFile?: string;
  /** Skip the chain id and contract code check (commands that only read one value may). */
  skipVerify?: boolean;
}

export async function openHost(context: HostContext, options: OpenHostOptions = {}): Promise<HostSession> {
  const { config, fileExists } = await loadConfig(context);
  if (!fileExists) throw new HostError(CoreErrors.NOT_INITIALIZED, `No configuration in ${context.paths.home}.`);
  if (!config.wallet) {
    throw new HostError(WalletErrors.NO_WALLET, "This host has no wallet yet.", { hint: "Try: fabstir-host wallet create (or fabstir-host init)." });
  }
  const chain = context.services.connectChain(config, { fetch: context.fetch, clock: context.clock, logger: context.logger });
  try {
    if (!options.skipVerify) await chain.verify();
  } catch (error) {
    chain.close();
    throw error;
  }
  const wallet = openHostWallet(walletDepsFrom(context), config.wallet, { passwordFile: options.passwordFile });
  let sender: Promise<TxSender> | undefined;
  return {
    config,
    chain,
    wallet,
    address: wallet.address,
    sender: () => (sender ??= wallet.unlock().then((signer) => chain.sender(signer, context.paths.stateDir))),
    close: () => chain.close(),
  };
}
