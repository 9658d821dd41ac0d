/**
 * The terminal prompter, on @inquirer/prompts. Loaded only when a command actually asks something.
 * Every question goes to the context's stdin/stdout so tests and the daemon can redirect them.
 */
import type { Readable, Writable } from "node:stream";
import type { Prompter } from "./prompter-types.ts";

export function createTerminalPrompter(io: { stdin: Readable; stdout: Writable }): Prompter {
  const context = { input: io.stdin as NodeJS.ReadableStream, output: io.stdout as NodeJS.WritableStream, clearPromptOnDone: false };
  const inquirer = () => import("@inquirer/prompts");
  return {
    async text(message, options) {
      const { input } = await inquirer();
      return input({ message, default: options?.default, validate: options?.validate }, context);
    },
    async confirm(message, options) {
      const { confirm } = await inquirer();
      return confirm({ message, default: options?.default ?? false }, context);
    },
    async secret(message, options) {
      const { password } = await inquirer();
      return password({ message, mask: "*", validate: options?.validate }, context);
    },
    async select(message, choices, options) {
      const { select } = await inquirer();
      return select({ message, choices, default: options?.default }, context);
    },
  };
}
