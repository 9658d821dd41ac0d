import { Command, Option } from "clipanion";
import { HostCommand } from "../../host-command.ts";
import { writeResult } from "../../output.ts";
import { walletDepsFrom } from "../../../wallet/deps.ts";
import { openHostWallet } from "../../../wallet/signer.ts";
import { currentWallet } from "./shared.ts";

function drawQr(text: string): Promise<string> {
  return import("qrcode-terminal").then(
    (module) =>
      new Promise((resolve) => {
        const qrcode = (module as { default?: typeof import("qrcode-terminal") }).default ?? module;
        qrcode.generate(text, { small: true }, (drawing) => resolve(drawing));
      }),
  );
}

export class WalletAddressCommand extends HostCommand {
  static override paths = [["wallet", "address"]];

  static override usage = Command.Usage({
    category: "Wallet",
    description: "Print the host address",
    details: "Prints the address of the host key and its compressed public key (the one published in the host's metadata). Never asks for a password.",
    examples: [
      ["Print the address", "$0 wallet address"],
      ["Show it as a QR code", "$0 wallet address --qr"],
    ],
  });

  qr = Option.Boolean("--qr", false, { description: "Also draw the address as a QR code in the terminal" });

  async run(): Promise<void> {
    const context = this.context;
    const wallet = openHostWallet(walletDepsFrom(context), await currentWallet(context));
    const data = { address: wallet.address, backend: wallet.backend, publicKey: wallet.publicKey };
    const qr = this.qr && !context.output.json ? await drawQr(wallet.address) : "";
    writeResult(context, data, () => `${qr ? `${qr}\n` : ""}${wallet.address}`);
  }
}
