import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { downloadFile, type DownloadOptions } from "../../../../src/node/install/download.ts";
import { HostError } from "../../../../src/errors/host-error.ts";
import { NodeErrors } from "../../../../src/errors/codes/node.ts";
import { startFileServer, type FileServer } from "../helpers/file-server.ts";
import { sha256Hex, testBytes } from "../helpers/tarballs.ts";

const SIZE = 300_000;
const data = testBytes(SIZE);
const sha = sha256Hex(data);
let server: FileServer;
let dir: string;

beforeAll(async () => {
  server = await startFileServer({ "/file.bin": data });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  dir = mkdtempSync(join(tmpdir(), "fabstir-dl-"));
});

const options = (extra: Partial<DownloadOptions> = {}): DownloadOptions => ({
  url: `${server.url}/file.bin`,
  dest: join(dir, "file.bin"),
  fetch: (input, init) => fetch(input, init),
  expectedSize: SIZE,
  expectedSha256: sha,
  sleep: async () => {},
  retryDelayMs: 1,
  ...extra,
});

async function expectCode(promise: Promise<unknown>, code: string): Promise<HostError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).code).toBe(code);
    return error as HostError;
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

describe("downloadFile", () => {
  test("happy path: verified file in place, no partial left, progress reported", async () => {
    const seen: number[] = [];
    const result = await downloadFile(options({ onProgress: (p) => seen.push(p.received) }));
    expect(result).toMatchObject({ size: SIZE, sha256: sha, resumedFrom: 0, attempts: 1, reused: false });
    expect(sha256Hex(readFileSync(result.path))).toBe(sha);
    expect(existsSync(`${result.path}.partial`)).toBe(false);
    expect(seen.at(-1)).toBe(SIZE);
    expect(server.requests[0]!.range).toBeNull();
  });

  test("resumes with Range after a dropped connection, hashing the bytes already on disk", async () => {
    server.mode.dropAfter = 100_000;
    server.mode.dropTimes = 1;
    const result = await downloadFile(options());
    expect(result.attempts).toBe(2);
    // The resume starts where the bytes on disk end: at the drop, or earlier when the last chunk was still in flight
    // (a busy machine), never later.
    const [first, second] = server.requests.map((r) => r.range);
    expect(first).toBeNull();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(second ?? "")?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(100_000);
    expect(sha256Hex(readFileSync(result.path))).toBe(sha);
  });

  test("resumes a partial left by an earlier run", async () => {
    writeFileSync(join(dir, "file.bin.partial"), data.subarray(0, 120_000));
    const result = await downloadFile(options());
    expect(result.resumedFrom).toBe(120_000);
    expect(server.requests[0]!.range).toBe("bytes=120000-");
    expect(result.sha256).toBe(sha);
  });

  test("a server that ignores Range (200) restarts from byte 0", async () => {
    server.mode.ranges = false;
    writeFileSync(join(dir, "file.bin.partial"), data.subarray(0, 50_000));
    const result = await downloadFile(options());
    expect(result.resumedFrom).toBe(0);
    expect(statSync(result.path).size).toBe(SIZE);
    expect(result.sha256).toBe(sha);
  });

  test("drops with a Range-ignoring server still end in a good file", async () => {
    server.mode.ranges = false;
    server.mode.dropAfter = 80_000;
    server.mode.dropTimes = 2;
    const result = await downloadFile(options());
    expect(result.attempts).toBe(3);
    expect(result.sha256).toBe(sha);
  });

  test("corrupt bytes: checksum mismatch, partial deleted, an existing good file untouched", async () => {
    writeFileSync(join(dir, "file.bin"), "previous good version");
    server.mode.corrupt = true;
    const error = await expectCode(downloadFile(options({ expectedSha256: sha256Hex(testBytes(SIZE, 7)) })), NodeErrors.CHECKSUM_MISMATCH.code);
    expect(error.message).toContain("was deleted");
    expect(existsSync(join(dir, "file.bin.partial"))).toBe(false);
    expect(readFileSync(join(dir, "file.bin"), "utf8")).toBe("previous good version");
  });

  test("a truncated file on the server is a size mismatch before anything is written", async () => {
    server.mode.truncateTo = 1000;
    await expectCode(downloadFile(options()), NodeErrors.SIZE_MISMATCH.code);
    expect(existsSync(join(dir, "file.bin"))).toBe(false);
    expect(existsSync(join(dir, "file.bin.partial"))).toBe(false);
  });

  test("without a known size, a short file fails the checksum", async () => {
    server.mode.truncateTo = 1000;
    await expectCode(downloadFile(options({ expectedSize: null })), NodeErrors.CHECKSUM_MISMATCH.code);
  });

  test("a full disk (ENOSPC from the writer) is a clear error and leaves nothing behind", async () => {
    let written = 0;
    const error = await expectCode(
      downloadFile(
        options({
          openSink: async () => ({
            async write(chunk) {
              written += chunk.length;
              if (written > 64_000) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
            },
            async close() {},
          }),
        }),
      ),
      NodeErrors.DISK_FULL.code,
    );
    expect(error.message).toContain("disk filled up");
    expect(existsSync(join(dir, "file.bin"))).toBe(false);
    expect(existsSync(join(dir, "file.bin.partial"))).toBe(false);
  });

  test("not enough free space is refused before downloading", async () => {
    await expectCode(downloadFile(options({ freeSpace: async () => 1000 })), NodeErrors.DISK_FULL.code);
    expect(server.requests).toHaveLength(1);
  });

  test("gives up after the retries with DOWNLOAD_FAILED, keeping the partial for a later resume", async () => {
    server.mode.dropAfter = 10_000;
    server.mode.dropTimes = 10;
    const error = await expectCode(downloadFile(options({ retries: 2 })), NodeErrors.DOWNLOAD_FAILED.code);
    expect(error.message).toContain("after 3 attempts");
    expect(statSync(join(dir, "file.bin.partial")).size).toBe(30_000);
    server.reset();
    const result = await downloadFile(options());
    expect(result.resumedFrom).toBe(30_000);
    expect(result.sha256).toBe(sha);
  });

  test("5xx is retried; 404 and 401 are not", async () => {
    server.mode.status = 503;
    await expectCode(downloadFile(options({ retries: 1 })), NodeErrors.DOWNLOAD_FAILED.code);
    expect(server.requests).toHaveLength(2);
    server.reset();
    await expectCode(downloadFile(options({ url: `${server.url}/missing.bin` })), NodeErrors.DOWNLOAD_NOT_FOUND.code);
    expect(server.requests).toHaveLength(1);
    server.reset();
    server.mode.token = "hf_secret_token_1234";
    const refused = await expectCode(downloadFile(options()), NodeErrors.DOWNLOAD_UNAUTHORIZED.code);
    expect(refused.message).toContain("an access token is needed");
  });

  test("sends the bearer token", async () => {
    server.mode.token = "hf_secret_token_1234";
    await downloadFile(options({ token: "hf_secret_token_1234" }));
    expect(server.requests[0]!.authorization).toBe("Bearer hf_secret_token_1234");
  });

  test("a partial longer than the file (416) is discarded and the download starts over", async () => {
    writeFileSync(join(dir, "file.bin.partial"), testBytes(SIZE + 10, 3));
    const result = await downloadFile(options({ expectedSize: null }));
    expect(server.requests.map((r) => r.range)).toEqual([`bytes=${SIZE + 10}-`, null]);
    expect(result.sha256).toBe(sha);
  });

  test("a partial of another file (different expected hash) is not resumed", async () => {
    writeFileSync(join(dir, "file.bin.partial"), testBytes(SIZE, 3).subarray(0, 200_000));
    writeFileSync(join(dir, "file.bin.partial.json"), JSON.stringify({ url: `${server.url}/file.bin`, expectedSha256: "b".repeat(64) }));
    const result = await downloadFile(options());
    expect(server.requests[0]!.range).toBeNull();
    expect(result.sha256).toBe(sha);
    expect(existsSync(join(dir, "file.bin.partial.json"))).toBe(false);
  });

  test("a stale partial with wrong bytes fails the checksum once, then the next run is clean", async () => {
    writeFileSync(join(dir, "file.bin.partial"), testBytes(SIZE, 3).subarray(0, 200_000));
    await expectCode(downloadFile(options()), NodeErrors.CHECKSUM_MISMATCH.code);
    expect(existsSync(join(dir, "file.bin.partial"))).toBe(false);
    expect((await downloadFile(options())).sha256).toBe(sha);
  });

  test("a verified file already in place is reused without a request", async () => {
    writeFileSync(join(dir, "file.bin"), data);
    const result = await downloadFile(options());
    expect(result.reused).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  test("a stalled connection counts as dropped (idle timeout)", async () => {
    server.mode.dropAfter = 50_000;
    server.mode.dropTimes = 1;
    // Hold the socket open instead of destroying it: the idle timer must notice.
    const original = server.mode;
    const stall = await startStallServer(data);
    try {
      const result = await downloadFile(options({ url: stall.url, idleTimeoutMs: 200 }));
      expect(result.sha256).toBe(sha);
      expect(result.attempts).toBe(2);
    } finally {
      await stall.close();
      server.mode = original;
    }
  });

  test("only http(s) URLs", async () => {
    await expectCode(downloadFile(options({ url: "file:///etc/passwd" })), NodeErrors.DOWNLOAD_INVALID_URL.code);
  });
});

/** Sends 50 kB then goes silent on the first request; serves ranges properly afterwards. */
async function startStallServer(body: Uint8Array): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import("node:http");
  let first = true;
  const server = createServer((req, res) => {
    const range = /^bytes=(\d+)-$/.exec((req.headers.range as string) ?? "");
    if (first) {
      first = false;
      res.writeHead(200, { "content-length": String(body.length) });
      res.write(body.subarray(0, 50_000));
      return; // never ends
    }
    const start = range ? Number(range[1]) : 0;
    res.writeHead(range ? 206 : 200, {
      "content-length": String(body.length - start),
      ...(range ? { "content-range": `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    res.end(body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/file.bin`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
