import { Command } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { notAvailable } from "../../not-available.ts";

export class WalletAddressCommand extends HostCommand {
  static override paths = [["wallet","address"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Print the host address",
    details: "Prints the address of the host key. Never asks for a password.",
    examples: [
      ["Print the address", "$0 wallet address"],
      ["Show it as a QR code", "$0 wallet address --qr"],
    ],
  });

  async run(): Promise<number | void> {
    notAvailable("wallet address");
  }
}
