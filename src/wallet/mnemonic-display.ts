/**
 * Showing a new recovery phrase exactly once, and checking it was written down: the person types back three words
 * chosen at random. Nothing is stored until they succeed, so a key nobody can recover is never created.
 */
import { randomInt } from "node:crypto";
import { HostError } from "../errors/host-error.ts";
import { WalletErrors } from "../errors/codes/wallet.ts";
import type { WalletDeps } from "./types.ts";

export const CONFIRM_WORDS = 3;
export const CONFIRM_ATTEMPTS = 3;

export function formatMnemonic(phrase: string): string {
  const words = phrase.split(" ");
  const rows: string[] = [];
  for (let index = 0; index < words.length; index += 4) {
    rows.push(
      words
        .slice(index, index + 4)
        .map((word, offset) => `${String(index + offset + 1).padStart(2)}. ${word.padEnd(10)}`)
        .join(" ")
        .trimEnd(),
    );
  }
  return rows.join("\n");
}

/** Distinct word positions (1-based), in increasing order. */
export function pickPositions(count: number, total: number, random: (max: number) => number = randomInt): number[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, total)) chosen.add(random(total) + 1);
  return [...chosen].sort((a, b) => a - b);
}

function ordinal(position: number): string {
  const suffix =
    position % 10 === 1 && position !== 11 ? "st" : position % 10 === 2 && position !== 12 ? "nd" : position % 10 === 3 && position !== 13 ? "rd" : "th";
  return `${position}${suffix}`;
}

/** Shows the phrase on the terminal, then asks for three words (up to three rounds). */
export async function showAndConfirmMnemonic(deps: Pick<WalletDeps, "reveal" | "prompter" | "warn">, phrase: string, address: string): Promise<void> {
  deps.reveal(
    [
      "",
      `Recovery phrase for ${address}. Write these words down, in order, and keep them offline.`,
      "They are shown only this once; anyone who has them controls the host's funds.",
      "",
      formatMnemonic(phrase),
      "",
    ].join("\n") + "\n",
  );
  const words = phrase.split(" ");
  for (let round = 1; round <= CONFIRM_ATTEMPTS; round++) {
    const positions = pickPositions(CONFIRM_WORDS, words.length);
    let correct = true;
    for (const position of positions) {
      const typed = await deps.prompter.text(`To confirm, type the ${ordinal(position)} word`);
      if (typed.trim().toLowerCase() !== words[position - 1]) correct = false;
    }
    if (correct) {
      // Wipe the phrase from the screen and the scrollback, so it does not outlive this moment on the terminal.
      deps.reveal("\u001b[2J\u001b[3J\u001b[H");
      return;
    }
    if (round < CONFIRM_ATTEMPTS) deps.warn("That does not match the phrase; check your copy and try again.");
  }
  throw new HostError(WalletErrors.MNEMONIC_CONFIRM, "The recovery phrase was not confirmed; no key was stored.", {
    hint: "Try: fabstir-host wallet create again, and copy the words carefully before confirming.",
  });
}
