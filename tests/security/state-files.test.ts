/**
 * Files under the state directory are never written through a symlink, and a full or read-only disk gets its own
 * code. Before, logs/cli.log → any file the user can write had every log line appended to that file.
 */
import { describe, expect, test } from "bun:test";
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledBinary } from "../helpers/binary.ts";
import { diskWriteError } from "../../src/config/disk-errors.ts";
import { openFsLogFile } from "../../src/ops/logging/log-file-handle.ts";
import { HostError } from "../../src/errors/host-error.ts";
import { writeSynced } from "../../src/util/atomic-write.ts";
import { CoreErrors } from "../../src/errors/codes/index.ts";

describe("the log writer and symlinks", () => {
  test("the compiled binary does not append to the file a planted logs/cli.log link points at", async () => {
    const built = await compiledBinary();
    const scratch = mkdtempSync(join(tmpdir(), "fabstir-symlink-"));
    const binary = join(scratch, "fabstir-host");
    copyFileSync(built, binary);
    Bun.spawnSync(["chmod", "+x", binary]);
    const home = join(scratch, "state");
    mkdirSync(join(home, "logs"), { recursive: true, mode: 0o700 });
    const victim = join(scratch, "victim.txt");
    writeFileSync(victim, "untouched\n");
    symlinkSync(victim, join(home, "logs", "cli.log"));
    // An invalid value is logged as an error: the line that would have landed in the victim file.
    const result = Bun.spawnSync([binary, "config", "set", "node.apiPort", "nope", "--config-dir", home], {
      cwd: scratch,
      env: { PATH: "/usr/bin:/bin", HOME: scratch, NO_COLOR: "1", FABSTIR_NO_UPDATE_CHECK: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(result.exitCode).toBe(2);
    expect(readFileSync(victim, "utf8")).toBe("untouched\n");
    expect(lstatSync(join(home, "logs", "cli.log")).isSymbolicLink()).toBe(true);
    expect(result.stderr.toString()).toContain("symbolic link");
  }, 300_000);

  test("a symlinked logs directory is refused too", () => {
    const scratch = mkdtempSync(join(tmpdir(), "fabstir-symlink-dir-"));
    mkdirSync(join(scratch, "elsewhere"));
    symlinkSync(join(scratch, "elsewhere"), join(scratch, "logs"));
    const error = (() => {
      try {
        openFsLogFile(join(scratch, "logs", "cli.log"));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).code).toBe(CoreErrors.UNSAFE_SYMLINK.code);
  });
});

/** Root with mount namespaces: a real full or read-only file system, private to one shell and gone with it. */
const canMount = process.getuid?.() === 0 && Bun.spawnSync(["unshare", "--mount", "true"]).exitCode === 0;

async function onSmallDisk(prepare: string): Promise<{ set: { ok: boolean; error?: { code: string; hint?: string } }; config: string }> {
  const built = await compiledBinary();
  const dir = mkdtempSync(join(tmpdir(), "fabstir-disk-"));
  const script = [
    `mount -t tmpfs -o size=256k tmpfs "$DIR"`,
    `"$BIN" config set network local --config-dir "$DIR/state" >/dev/null`,
    prepare,
    `"$BIN" config set node.apiPort 8100 --json --config-dir "$DIR/state"`,
    `echo "=====" && cat "$DIR/state/config.json"`,
  ].join("\n");
  const result = Bun.spawnSync(["unshare", "--mount", "sh", "-c", script], {
    env: { PATH: "/usr/bin:/bin:/usr/sbin:/sbin", HOME: dir, NO_COLOR: "1", FABSTIR_NO_UPDATE_CHECK: "1", DIR: dir, BIN: built },
    stdout: "pipe",
    stderr: "pipe",
  });
  rmSync(dir, { recursive: true, force: true });
  const [set, config] = result.stdout.toString().split("=====\n");
  return { set: JSON.parse(set!.trim().split("\n").pop()!), config: config ?? "" };
}

describe.skipIf(!canMount)("config set on a full or read-only disk (the compiled binary)", () => {
  test("a full disk is FH0021 with its hint, and the config is unchanged", async () => {
    const { set, config } = await onSmallDisk(`dd if=/dev/zero of="$DIR/fill" bs=4k count=1000 2>/dev/null || true`);
    expect(set.ok).toBe(false);
    expect(set.error!.code).toBe(CoreErrors.DISK_FULL.code);
    expect(set.error!.hint).toContain("free some space");
    expect(JSON.parse(config)).toMatchObject({ network: "local" });
    expect(JSON.parse(config).node).toBeUndefined();
  }, 300_000);

  test("logs export onto a read-only file system is FH0022", async () => {
    const built = await compiledBinary();
    const dir = mkdtempSync(join(tmpdir(), "fabstir-disk-export-"));
    const script = [
      `mkdir -p "$DIR/ro"`,
      `mount -t tmpfs -o size=64k,ro tmpfs "$DIR/ro"`,
      `"$BIN" logs export "$DIR/ro/report.tar.gz" --json --config-dir "$DIR/state"`,
    ].join("\n");
    const result = Bun.spawnSync(["unshare", "--mount", "sh", "-c", script], {
      env: { PATH: "/usr/bin:/bin:/usr/sbin:/sbin", HOME: dir, NO_COLOR: "1", FABSTIR_NO_UPDATE_CHECK: "1", DIR: dir, BIN: built },
      stdout: "pipe",
      stderr: "pipe",
    });
    rmSync(dir, { recursive: true, force: true });
    expect(JSON.parse(result.stdout.toString().trim().split("\n").pop()!).error.code).toBe(CoreErrors.READ_ONLY_FS.code);
  }, 300_000);

  test("a read-only file system is FH0022", async () => {
    const { set, config } = await onSmallDisk(`mount -o remount,ro "$DIR"`);
    expect(set.error!.code).toBe(CoreErrors.READ_ONLY_FS.code);
    expect(JSON.parse(config).node).toBeUndefined();
  }, 300_000);
});

describe("journals and archives under state/", () => {
  test("writeSynced refuses a symlink in the file's place (append and truncate)", () => {
    const dir = mkdtempSync(join(tmpdir(), "fabstir-synced-"));
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "untouched\n");
    symlinkSync(victim, join(dir, "journal.jsonl"));
    for (const flag of ["a", "w"] as const) {
      expect(() => writeSynced(join(dir, "journal.jsonl"), "line\n", flag)).toThrow(expect.objectContaining({ code: "ELOOP" }));
    }
    expect(readFileSync(victim, "utf8")).toBe("untouched\n");
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("disk errors", () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });
  test("ENOSPC and EROFS get their own codes and hints; other failures stay DISK_WRITE", () => {
    expect(diskWriteError("/x/config.json", errno("ENOSPC")).code).toBe(CoreErrors.DISK_FULL.code);
    expect(diskWriteError("/x/config.json", errno("ENOSPC")).hint).toContain("free some space");
    expect(diskWriteError("/x/config.json", errno("EROFS")).code).toBe(CoreErrors.READ_ONLY_FS.code);
    expect(diskWriteError("/x/config.json", errno("EROFS")).hint).toContain("read-write");
    expect(diskWriteError("/x/config.json", errno("ELOOP")).code).toBe(CoreErrors.UNSAFE_SYMLINK.code);
    expect(diskWriteError("/x/config.json", errno("EACCES")).code).toBe(CoreErrors.DISK_WRITE.code);
  });
});
