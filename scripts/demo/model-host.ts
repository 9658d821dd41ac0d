/**
 * A local stand-in for the model host (huggingface.co's URL form, `<base>/<repo>/resolve/main/<file>`), serving the
 * devnet's deterministic fake model files, so `fabstir-host models download` runs for real and verifies the SHA-256
 * that the devnet's ModelRegistry holds.
 */
import { fakeModelBytes, DEVNET_MODEL_SPECS } from "../devnet/fake-models.ts";

export interface ModelHost {
  baseUrl: string;
  stop(): void;
}

export function startModelHost(): ModelHost {
  const files = new Map(DEVNET_MODEL_SPECS.map(({ repo, file }) => [`/${repo}/resolve/main/${file}`, fakeModelBytes(repo, file)]));
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const bytes = files.get(new URL(request.url).pathname);
      if (!bytes) return new Response("not found", { status: 404 });
      const range = /^bytes=(\d+)-$/.exec(request.headers.get("range") ?? "");
      if (range) {
        const start = Number(range[1]);
        return new Response(bytes.subarray(start), {
          status: 206,
          headers: { "content-range": `bytes ${start}-${bytes.length - 1}/${bytes.length}`, "content-length": String(bytes.length - start) },
        });
      }
      return new Response(bytes, { headers: { "content-length": String(bytes.length) } });
    },
  });
  return { baseUrl: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}
