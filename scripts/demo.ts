#!/usr/bin/env bun
/**
 * The local demo: a host's whole life on one machine. Grows with the project; today it builds the binary and shows
 * the manual.
 */
import { join } from "node:path";
const root = join(import.meta.dir, "..");
const build = Bun.spawnSync(["bun", "scripts/build.ts", "--target", process.arch === "arm64" ? "linux-arm64" : "linux-x64"], { cwd: root, stderr: "inherit" });
if (build.exitCode !== 0) process.exit(1);
const binary = join(root, "dist", `fabstir-host-${process.arch === "arm64" ? "linux-arm64" : "linux-x64"}`);
Bun.spawnSync([binary, "--help"], { stdout: "inherit", stderr: "inherit" });
