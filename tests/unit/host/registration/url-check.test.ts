import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { checkUrlAnswers, normalizePublicUrl } from "../../../../src/host/registration/url-check.ts";
import { HostErrors } from "../../../../src/errors/codes/index.ts";

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => res.writeHead(req.url === "/health" ? 200 : 500).end('{"status":"healthy"}'));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("public URL", () => {
  test("http(s) with a host; trailing slashes dropped", () => {
    expect(normalizePublicUrl("https://host.example.org:8080/")).toBe("https://host.example.org:8080");
    expect(normalizePublicUrl(" http://10.0.0.5:8080 ")).toBe("http://10.0.0.5:8080");
    expect(normalizePublicUrl("https://host.example.org/fabstir")).toBe("https://host.example.org/fabstir");
  });

  test("anything else is URL_INVALID, saying why", () => {
    const cases: Array<[string, string]> = [
      ["ftp://host.example.org", "ftp is not http or https"],
      ["ws://host.example.org", "ws is not http or https"],
      ["host.example.org:8080", "not http or https"],
      ["not a url", "not an absolute URL"],
      ["https://user:pw@host.example.org", "credentials"],
      ["https://host.example.org/?key=1", "query"],
    ];
    for (const [input, why] of cases)
      expect(() => normalizePublicUrl(input)).toThrow(expect.objectContaining({ code: HostErrors.URL_INVALID.code, message: expect.stringContaining(why) }));
  });

  test("answers: GET <url>/health, any HTTP status counts", async () => {
    expect(await checkUrlAnswers(fetch, url)).toEqual({ url: `${url}/health`, status: 200 });
  });

  test("no answer: URL_UNREACHABLE naming the probe, within the timeout", async () => {
    const started = Date.now();
    await expect(checkUrlAnswers(fetch, "http://127.0.0.1:9")).rejects.toMatchObject({
      code: HostErrors.URL_UNREACHABLE.code,
      message: expect.stringContaining("http://127.0.0.1:9/health does not answer"),
    });
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    try {
      await expect(checkUrlAnswers(fetch, `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, 200)).rejects.toMatchObject({
        message: expect.stringContaining("no answer within 0.2 s"),
      });
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
