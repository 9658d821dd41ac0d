/**
 * The Dockerfile and .dockerignore, checked line by line (no container engine in the test environment): CUDA
 * runtime base, the binary from dist/ or a bun build stage, non-root user, /data volume, password file, ports,
 * health check, entrypoint; and the build context admits exactly what the COPY lines read.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "./fixtures.ts";

const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
const dockerignore = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8");

/** Instructions with continuation lines joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

const stages = instructions.filter((line) => line.startsWith("FROM "));
const finalStage = instructions.slice(instructions.lastIndexOf(stages.at(-1)!));

describe("Dockerfile", () => {
  test("builds the binary in a bun stage or takes it from dist/, then runs on CUDA", () => {
    // The node's CUDA 13 build runs on its own image's base (fabstir-llm-node@85a87b8 Dockerfile.production:3).
    expect(instructions).toContain("ARG CUDA_IMAGE=nvidia/cuda:13.0.0-runtime-ubuntu22.04");
    expect(dockerfile).toMatch(/^ARG BUN_IMAGE=oven\/bun:1\.4\.\d+$/m);
    expect(stages).toEqual([
      "FROM --platform=$BUILDPLATFORM ${BUN_IMAGE} AS source",
      "FROM --platform=$BUILDPLATFORM busybox:1.36 AS prebuilt",
      "FROM ${BINARY_SOURCE} AS binary",
      "FROM ${CUDA_IMAGE}",
    ]);
    expect(dockerfile).toContain("bun install --frozen-lockfile --os='*' --cpu='*'");
    expect(dockerfile).toContain('bun scripts/build.ts --target "linux-${arch}"');
    expect(dockerfile).toContain('cp "/dist/fabstir-host-linux-${arch}" /out/fabstir-host');
  });

  test("the final stage: non-root fabstir user, /data, password file, ports, health check, entrypoint", () => {
    const final = finalStage.join("\n");
    expect(final).toContain("useradd --system --uid 10001 --gid fabstir");
    expect(final).toContain("COPY --from=binary --chmod=0755 /out/fabstir-host /usr/local/bin/fabstir-host");
    expect(final).toMatch(/ENV FABSTIR_HOME=\/data /);
    expect(final).toContain("FABSTIR_PASSWORD_FILE=/run/secrets/fabstir-password");
    expect(final).toContain('VOLUME ["/data"]');
    expect(final).toContain("EXPOSE 8080 9464");
    expect(final).toMatch(/HEALTHCHECK .*CMD curl -fsS .*http:\/\/127\.0\.0\.1:9464\/readyz/);
    expect(final).toMatch(/apt-get install -y --no-install-recommends ca-certificates curl libgomp1 libssl3 libnccl2/);
    const userAt = finalStage.indexOf("USER fabstir");
    expect(userAt).toBeGreaterThan(finalStage.findIndex((line) => line.startsWith("RUN groupadd")));
    expect(finalStage.slice(-2)).toEqual(['ENTRYPOINT ["fabstir-host"]', 'CMD ["start"]']);
    expect(dockerfile).not.toMatch(/PASSWORD=|PRIVATE_KEY|MNEMONIC/);
  });

  test("the node's internal port is never exposed or published (the node binds 0.0.0.0, fabstir-llm-node@85a87b8 src/main.rs:329)", () => {
    const exposed = instructions.filter((line) => line.startsWith("EXPOSE ")).flatMap((line) => line.split(/\s+/).slice(1));
    expect(exposed).toEqual(["8080", "9464"]);
    expect(dockerfile).not.toMatch(/^#.*docker run.*-p [^\n]*8081/m);
    expect(dockerfile).toContain("never publish");
  });

  test(".dockerignore admits what the COPY lines read and keeps everything else out", () => {
    const rules = dockerignore.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
    expect(rules[0]).toBe("*");
    const admitted = rules.filter((rule) => rule.startsWith("!")).map((rule) => rule.slice(1).replace(/\/$/, ""));
    const sources = instructions
      .filter((line) => line.startsWith("COPY ") && !line.includes("--from="))
      .flatMap((line) => line.split(/\s+/).slice(1, -1))
      .map((source) => source.replace(/\/$/, ""));
    for (const source of sources) {
      const ok = source === "dist" ? admitted.some((a) => a.startsWith("dist/fabstir-host-linux-")) : admitted.includes(source);
      expect(ok, `COPY ${source}`).toBe(true);
    }
    for (const secretish of ["node_modules", ".git", ".fabstir", "dist/fabstir-host-windows-x64.exe"]) expect(admitted).not.toContain(secretish);
  });

  test("the release workflow builds the image from dist/ for both architectures", () => {
    const workflow = parse(readFileSync(join(REPO_ROOT, ".github", "workflows", "release.yml"), "utf8"));
    const build = workflow.jobs.image.steps.find((step: any) => String(step.uses).startsWith("docker/build-push-action"));
    expect(build.with).toMatchObject({ context: ".", platforms: "linux/amd64,linux/arm64", "build-args": "BINARY_SOURCE=prebuilt", push: true });
  });
});
