import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IntentJournal } from "../../../src/chain/tx/journal.ts";

test("temp files of writes cut short by a killed process are removed when the journal opens; live ones stay", () => {
  const root = mkdtempSync(join(tmpdir(), "txj-"));
  const first = new IntentJournal(root, 31337, "0x00000000000000000000000000000000000000aa");
  const dead = join(first.activeDir, "abc.json.999999.3.tmp");
  const live = join(first.activeDir, `def.json.${process.pid}.1.tmp`);
  writeFileSync(dead, "{");
  writeFileSync(live, "{");
  new IntentJournal(root, 31337, "0x00000000000000000000000000000000000000aa");
  expect(existsSync(dead)).toBe(false);
  expect(existsSync(live)).toBe(true);
});
