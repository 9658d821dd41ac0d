import { Command, Option } from "clipanion";
import * as t from "typanion";
import { SigningCommand } from "../../key-commands.ts";
import { confirmOrCancel } from "../../confirm.ts";
import { note, writeResult } from "../../output.ts";
import { openHost } from "../../../host/operation/connect.ts";
import { executeWithdrawal } from "../../../host/withdraw/execute.ts";
import { prepareWithdrawal } from "../../../host/withdraw/prepare.ts";
import { renderPreview, renderWithdrawal } from "../../render/withdraw.ts";
import { checkColdAddress, parseWithdrawRequest } from "../../../host/withdraw/request.ts";
import type { TxSender } from "../../../chain/index.ts";

export class WithdrawCommand extends SigningCommand {
  static override paths = [["withdraw"]];
  static override readonly checksNetwork = true;

  static override usage = Command.Usage({
    category: "Host operations",
    description: "Withdraw earnings from HostEarnings",
    details: `
      Shows what HostEarnings holds per token and the gas the withdrawal costs, asks (--yes in scripts), withdraws, prints the receipt and appends it to state/withdrawals.jsonl. --token picks eth, usdc or all (default); --amount withdraws part of one token's balance, in its own units (ETH or USDC).

      --to sweeps the withdrawn amount on to a cold address, which must be given in its checksummed (mixed-case) form: USDC by a token transfer, ETH minus what the host wallet keeps for gas (the cost of alerts.minEthProofs proofs at current fees).

      A withdrawal interrupted midway (a crash, a dead RPC) is finished by running withdraw again: the same transactions are resumed, never sent twice.
    `,
    examples: [
      ["Withdraw everything", "$0 withdraw --yes"],
      ["Withdraw 25 USDC", "$0 withdraw --token usdc --amount 25"],
      ["Withdraw USDC to a cold wallet", "$0 withdraw --token usdc --to 0x..."],
    ],
  });

  token = Option.String("--token", "all", { description: "eth, usdc or all", validator: t.isEnum(["eth", "usdc", "all"]) });
  amount = Option.String("--amount", { description: "Withdraw this much of one token (in ETH or USDC), not all of it" });
  to = Option.String("--to", { description: "Then send the withdrawn amount to this checksummed address" });

  async run(): Promise<number | void> {
    const context = this.context;
    const request = parseWithdrawRequest({ token: this.token, amount: this.amount, to: this.to });
    const host = await openHost(context, { passwordFile: this.passwordFile });
    let sender: TxSender | undefined;
    try {
      if (request.to) checkColdAddress(request.to, host.address); // not the host itself
      const deps = { chain: host.chain, address: host.address, stateDir: context.paths.stateDir, now: () => context.clock.now() };
      const prepared = await prepareWithdrawal(deps, request);
      note(context, renderPreview(prepared.preview));
      // A resumed withdrawal was confirmed when it started; finishing it needs no second yes.
      if (!prepared.preview.resumed) await confirmOrCancel(context, "Withdraw now?", this.yes);
      const result = await executeWithdrawal(
        { ...deps, sender: async () => (sender = await host.sender()), keepProofs: host.config.alerts.minEthProofs },
        prepared,
      );
      writeResult(context, { ...result, preview: prepared.preview }, () => renderWithdrawal(result, host.chain.network));
    } finally {
      await sender?.idle(); // the sender may still be finishing an earlier run's transactions
      host.close();
    }
  }
}
