/**
 * Which release file fits this machine. The install script records the file it installed (`asset=` in the receipt)
 * and self-update reuses that name, so a host on the musl or the no-AVX2 ("baseline") build stays on it. Without a
 * recorded name the same rules as the installer apply: musl build on musl systems, baseline on x64 CPUs without
 * AVX2, best first, and the first one the release lists in SHA256SUMS wins.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";

export interface PlatformFacts {
  os: "linux" | "darwin" | "windows";
  arch: "x64" | "arm64";
  libc: "glibc" | "musl";
  avx2: boolean;
}

const BIN = "fabstir-host";

export function assetCandidates(facts: PlatformFacts): string[] {
  if (facts.os === "windows") return [`${BIN}-windows-${facts.arch}.exe`, `${BIN}-windows-x64.exe`].filter((v, i, all) => all.indexOf(v) === i);
  const plain = `${BIN}-${facts.os}-${facts.arch}`;
  const noAvx2 = facts.os === "linux" && facts.arch === "x64" && !facts.avx2;
  const list: string[] = [];
  if (facts.os === "linux" && facts.libc === "musl") {
    if (noAvx2) list.push(`${plain}-musl-baseline`);
    list.push(`${plain}-musl`);
  }
  if (noAvx2) list.push(`${plain}-baseline`);
  list.push(plain);
  return list;
}

/** The release file to download: the recorded one when the release still has it, else the best candidate. */
export function chooseAsset(available: Iterable<string>, recorded: string | null | undefined, facts: PlatformFacts | null): string | null {
  const names = new Set(available);
  if (recorded && names.has(recorded)) return recorded;
  if (!facts) return null;
  return assetCandidates(facts).find((name) => names.has(name)) ?? null;
}

function detectLibc(): "glibc" | "musl" {
  try {
    const header = (process.report?.getReport?.() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
    if (header?.glibcVersionRuntime) return "glibc";
  } catch {}
  try {
    if (readdirSync("/lib").some((name) => name.startsWith("ld-musl-"))) return "musl";
  } catch {}
  return existsSync("/etc/alpine-release") ? "musl" : "glibc";
}

function detectAvx2(): boolean {
  try {
    const flags =
      readFileSync("/proc/cpuinfo", "utf8")
        .split("\n")
        .find((line) => line.startsWith("flags")) ?? "";
    return ` ${flags} `.includes(" avx2 ");
  } catch {
    return true; // unknown: assume a modern CPU, like the installer does off Linux
  }
}

/** This machine, or null on a platform no release is built for. */
export function detectPlatformFacts(platform: NodeJS.Platform = process.platform, arch: string = process.arch): PlatformFacts | null {
  const os = platform === "linux" ? "linux" : platform === "darwin" ? "darwin" : platform === "win32" ? "windows" : null;
  const cpu = arch === "x64" ? "x64" : arch === "arm64" ? "arm64" : null;
  if (!os || !cpu) return null;
  return {
    os,
    arch: cpu,
    libc: os === "linux" ? detectLibc() : "glibc",
    avx2: os === "linux" && cpu === "x64" ? detectAvx2() : true,
  };
}
