/**
 * Runs before the test files: a private HOME so nothing touches the developer's real ~/.fabstir, no secret or state
 * location inherited from the environment, and one temporary folder for the whole run (TMPDIR, inherited by every
 * process a test starts) that is removed when the run ends. Temporary folders a test forgets then do not pile up in
 * the system's /tmp, where tens of thousands of them once slowed down everything that lists it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "bun:test";

const runTemp = mkdtempSync(join(tmpdir(), "fabstir-test-"));
process.env.TMPDIR = runTemp;
const home = mkdtempSync(join(runTemp, "home-"));
process.env.HOME = home;
process.env.XDG_CONFIG_HOME = join(home, ".config");
process.env.XDG_DATA_HOME = join(home, ".local", "share");
for (const name of Object.keys(process.env)) {
  if (/^FABSTIR_(?!SHARED_DIR$|TEST_)/.test(name) || /PRIVATE_KEY|PASSWORD|MNEMONIC/.test(name)) delete process.env[name];
}
process.env.NO_COLOR = "1";

afterAll(() => {
  rmSync(runTemp, { recursive: true, force: true });
});
