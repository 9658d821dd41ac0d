import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { renderFields } from "../../table.ts";
import { walletBalance, type WalletBalance } from "../../../host/status/wallet-balance.ts";

export class WalletBalanceCommand extends HostCommand {
  static override paths = [["wallet", "balance"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Show ETH, FAB and USDC balances and what is missing",
    details:
      "Reads balances on the configured network (token decimals from the tokens) and checks the requirements: ETH for gas (0.015 ETH recommended) and, until registered, FAB for the stake (MIN_STAKE from the registry). Never asks for a password.",
    examples: [
      ["Show balances", "$0 wallet balance"],
      ["For a script", "$0 wallet balance --json"],
    ],
  });

  async run(): Promise<void> {
    const balance = await walletBalance(this.context);
    writeResult(this.context, balance, () => render(balance));
  }
}

function render(b: WalletBalance): string {
  const fields = renderFields([
    ["Address", b.address],
    ["Network", `${b.network} (chain id ${b.chainId})`],
    ["ETH", b.eth.formatted],
    [b.fab.symbol, b.fab.formatted],
    [b.usdc.symbol, b.usdc.formatted],
    ["Stake needed", `${b.minStake.formatted} ${b.fab.symbol}`],
    ["Registered", b.registered ? `yes, stake ${b.stake.formatted} ${b.fab.symbol}` : "no"],
  ]).trimEnd();
  const missing = b.missing.map((m) => `Missing: ${m.amount.formatted} ${m.token} for ${m.reason}`);
  return [fields, ...(missing.length > 0 ? missing : ["Nothing missing."])].join("\n");
}
