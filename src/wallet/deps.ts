/** Builds the wallet services' dependencies from the command's context (services never see the whole CLI). */
import type { HostContext } from "../context.ts";
import { redact } from "../util/redact.ts";
import { reportWarning } from "../util/report.ts";
import type { KeyringClient } from "./keyring-types.ts";
import type { WalletDeps } from "./types.ts";

declare module "../context.ts" {
  interface HostServices {
    /** The OS keychain: a helper process per call, with a deadline (tests use createMemoryKeyringClient). */
    keyring: KeyringClient;
  }
}

export function walletDepsFrom(context: HostContext): WalletDeps {
  const keyring = context.services.keyring;
  const line = (text: string) => redact(text.endsWith("\n") ? text : `${text}\n`);
  return {
    keystoreDir: context.paths.keystoreDir,
    env: context.env,
    // In --json mode stdout carries one envelope: nothing is ever shown there for a person.
    interactive: { stdin: context.isTTY.stdin, stdout: context.isTTY.stdout && !context.output.json },
    stdin: context.stdin,
    prompter: context.prompter,
    clock: context.clock,
    logger: context.logger,
    spawn: context.spawn,
    keyring,
    note: (text) => {
      if (!context.output.quiet && !context.output.json) context.stderr.write(line(text));
    },
    warn: (text) => context.stderr.write(line(text)),
    warning: (code, text) => reportWarning(context, code, text),
    reveal: (text) => context.stdout.write(text),
  };
}
