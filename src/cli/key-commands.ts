/**
 * Base classes for commands that use the host key or ask before acting. The shared options come from options.ts; the
 * key itself is opened by the service each command calls (wallet/signer.ts), with the options from `keyOptions()`.
 */
import { HostCommand } from "./host-command.ts";
import { passwordFileOption, yesOption } from "./options.ts";

/** A command that asks before it acts. */
export abstract class ConfirmCommand extends HostCommand {
  yes = yesOption();
}

/** A command that unlocks the host key (to sign, or to hand it to the node) without asking anything first. */
export abstract class KeyCommand extends HostCommand {
  passwordFile = passwordFileOption();

  /** What the wallet services need to unlock the key. */
  protected keyOptions(): { passwordFile: string | undefined } {
    return { passwordFile: this.passwordFile };
  }
}

/** A command that signs transactions (or stores a key) and confirms first: --password-file and --yes. */
export abstract class SigningCommand extends KeyCommand {
  yes = yesOption();
}
