/** Confirmation for commands that change things: --yes skips it; without a terminal and without --yes we refuse. */
import type { HostContext } from "../context.ts";
import { HostError } from "../errors/host-error.ts";
import { CoreErrors } from "../errors/codes/core.ts";

export async function confirmOrCancel(context: HostContext, question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!context.isTTY.stdin) {
    throw new HostError(CoreErrors.NOT_INTERACTIVE, "This command asks for confirmation, and there is no terminal to ask on.", {
      hint: "Try: pass --yes to confirm in scripts.",
    });
  }
  if (!(await context.prompter.confirm(question, { default: false }))) {
    throw new HostError(CoreErrors.CANCELLED, "Cancelled; nothing was changed.");
  }
}
