import { describe, expect, test } from "bun:test";
import { formatMnemonic, pickPositions, showAndConfirmMnemonic } from "../../../src/wallet/mnemonic-display.ts";
import { scriptedPrompter } from "../../helpers/context.ts";
import { expectCode, testDeps } from "./wallet-fixtures.ts";
import { WalletErrors } from "../../../src/errors/codes/index.ts";

const PHRASE = "abandon ability able about above absent absorb abstract absurd abuse access accident";
const WORDS = PHRASE.split(" ");

/** Answers "type the Nth word" from the phrase (or wrongly). */
function wordPrompter(correct: () => boolean) {
  return {
    ...scriptedPrompter(),
    text: async (message: string) => {
      const position = Number(/the (\d+)/.exec(message)?.[1]);
      return correct() ? WORDS[position - 1]! : "wrong";
    },
  };
}

describe("showing the recovery phrase once", () => {
  test("numbered rows of four words", () => {
    const lines = formatMnemonic(PHRASE).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ 1\. abandon\s+ 2\. ability\s+ 3\. able\s+ 4\. about$/);
    expect(lines[2]).toContain("12. accident");
  });

  test("three distinct positions in range", () => {
    for (let round = 0; round < 50; round++) {
      const positions = pickPositions(3, 12);
      expect(new Set(positions).size).toBe(3);
      for (const position of positions) expect(position >= 1 && position <= 12).toBe(true);
    }
  });

  test("confirmed by typing three chosen words back; the screen is cleared afterwards", async () => {
    const deps = testDeps({ prompter: wordPrompter(() => true) });
    await showAndConfirmMnemonic(deps, PHRASE, "0xabc");
    expect(deps.revealed[0]).toContain("12. accident");
    expect(deps.revealed.at(-1)).toContain("\u001b[3J");
  });

  test("one wrong round is forgiven; three are not", async () => {
    let calls = 0;
    const deps = testDeps({ prompter: wordPrompter(() => ++calls > 3) });
    await showAndConfirmMnemonic(deps, PHRASE, "0xabc");
    expect(deps.warnings.join("")).toContain("does not match");
    await expectCode(() => showAndConfirmMnemonic(testDeps({ prompter: wordPrompter(() => false) }), PHRASE, "0xabc"), WalletErrors.MNEMONIC_CONFIRM.code);
  });
});
