import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installOver, swapWithPrevious } from "../../../src/self-update/swap.ts";
import {
  applyPendingUpdate,
  hostCanReplace,
  pendingUpdatePath,
  readPendingUpdate,
  runningHost,
  stageUpdate,
  type RunningHost,
} from "../../../src/self-update/pending.ts";
import { pathsFor } from "../../../src/config/paths.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { sha256, writeRunningHost } from "./fixtures.ts";
import { ShipErrors } from "../../../src/errors/codes/index.ts";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  dir = mkdtempSync(join(tmpdir(), "fabstir-swap-"));
  const binary = join(dir, "fabstir-host");
  writeFileSync(binary, "old", { mode: 0o755 });
  const incoming = join(dir, ".incoming");
  writeFileSync(incoming, "new", { mode: 0o755 });
  return { binary, incoming };
}

const read = (path: string) => readFileSync(path, "utf8");

describe.each(["linux", "win32"] as const)("binary swap (%s strategy)", (platform) => {
  test("installOver keeps the replaced binary as .previous", () => {
    const { binary, incoming } = setup();
    installOver(binary, incoming, platform);
    expect(read(binary)).toBe("new");
    expect(read(`${binary}.previous`)).toBe("old");
    expect(readdirSync(dir).sort()).toEqual(["fabstir-host", "fabstir-host.previous"]);
  });

  test("swapWithPrevious exchanges the two, twice returns to the start", () => {
    const { binary, incoming } = setup();
    installOver(binary, incoming, platform);
    swapWithPrevious(binary, platform);
    expect([read(binary), read(`${binary}.previous`)]).toEqual(["old", "new"]);
    swapWithPrevious(binary, platform);
    expect([read(binary), read(`${binary}.previous`)]).toEqual(["new", "old"]);
    expect(readdirSync(dir).sort()).toEqual(["fabstir-host", "fabstir-host.previous"]);
  });

  test("a failed move leaves the installed binary in place", () => {
    const { binary } = setup();
    expect(() => installOver(binary, join(dir, "missing"), platform)).toThrow(HostError);
    expect(read(binary)).toBe("old");
  });
});

describe("staged updates", () => {
  test("runningHost: a live PID file counts, a dead one does not", () => {
    dir = mkdtempSync(join(tmpdir(), "fabstir-pending-"));
    const paths = pathsFor(join(dir, "home"));
    expect(runningHost(paths)).toBeNull();
    writeRunningHost(paths.runDir);
    expect(runningHost(paths)).toMatchObject({ pid: process.pid, mode: "daemon" });
    writeRunningHost(paths.runDir, 2 ** 22 + 12345);
    expect(runningHost(paths)).toBeNull();
  });

  test("runningHost also finds the system service's host (sudo runs with root's home)", () => {
    dir = mkdtempSync(join(tmpdir(), "fabstir-pending-"));
    const mine = pathsFor(join(dir, "mine"));
    const service = pathsFor(join(dir, "service"));
    writeRunningHost(service.runDir);
    expect(runningHost(mine, { extraHomes: [] })).toBeNull();
    expect(runningHost(mine, { extraHomes: [service.home] })).toMatchObject({ home: service.home, uid: process.getuid!() });
  });

  test.skipIf(process.platform === "win32")("staging only when the host's user can replace the binary itself", () => {
    dir = mkdtempSync(join(tmpdir(), "fabstir-pending-"));
    const binary = join(dir, "fabstir-host");
    const host = (uid: number | null): RunningHost => ({ pid: 1, mode: "daemon", started: "", home: dir, uid });
    const stranger = process.getuid!() === 4242 ? 4343 : 4242;
    chmodSync(dir, 0o755);
    expect(hostCanReplace(host(process.getuid!()), binary)).toBe(true);
    expect(hostCanReplace(host(0), binary)).toBe(true);
    expect(hostCanReplace(host(null), binary)).toBe(true);
    expect(hostCanReplace(host(stranger), binary)).toBe(false); // e.g. root's /usr/local/bin and a `fabstir` service user
    chmodSync(dir, 0o777);
    expect(hostCanReplace(host(stranger), binary)).toBe(true);
  });

  test("apply swaps the staged binary in; a damaged one is discarded with FH0713", async () => {
    const { binary, incoming } = setup();
    const paths = pathsFor(join(dir, "home"));
    const info = { kind: "update" as const, version: "1.3.0", commit: null, from: "1.2.0", binary, sha256: sha256("new"), asset: null, receiptPath: null };
    stageUpdate(paths, incoming, info);
    expect(readPendingUpdate(paths)).toMatchObject({ version: "1.3.0", next: `${binary}.next` });
    expect(await applyPendingUpdate(paths, join(dir, "another-binary"))).toBeNull(); // staged for someone else
    const applied = await applyPendingUpdate(paths, binary);
    expect(applied).toMatchObject({ version: "1.3.0", from: "1.2.0", receiptUpdated: false });
    expect([read(binary), read(`${binary}.previous`)]).toEqual(["new", "old"]);
    expect(existsSync(pendingUpdatePath(paths))).toBe(false);

    writeFileSync(incoming, "newer");
    stageUpdate(paths, incoming, { ...info, version: "1.4.0", sha256: sha256("newer") });
    writeFileSync(`${binary}.next`, "tampered");
    const error = await applyPendingUpdate(paths, binary).catch((e) => e);
    expect(error).toBeInstanceOf(HostError);
    expect(error.code).toBe(ShipErrors.UPDATE_STAGED_INVALID.code);
    expect(read(binary)).toBe("new");
    expect(existsSync(`${binary}.next`)).toBe(false);
    expect(readPendingUpdate(paths)).toBeNull();
  });
});
