/**
 * Runs before every test file: a private HOME so nothing touches the developer's real ~/.fabstir, and no secret or
 * state location inherited from the environment.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "bun:test";

const home = mkdtempSync(join(tmpdir(), "fabstir-test-home-"));
process.env.HOME = home;
process.env.XDG_CONFIG_HOME = join(home, ".config");
process.env.XDG_DATA_HOME = join(home, ".local", "share");
for (const name of Object.keys(process.env)) {
  if (/^FABSTIR_(?!SHARED_DIR$|TEST_)/.test(name) || /PRIVATE_KEY|PASSWORD|MNEMONIC/.test(name)) delete process.env[name];
}
process.env.NO_COLOR = "1";

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});
