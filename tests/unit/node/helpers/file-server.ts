/**
 * A local HTTP file server with failure modes, for download and install tests: Range support on/off, dropping the
 * connection after N bytes, corrupt bytes, truncated files, status codes and a required bearer token. Built on
 * node:http (Bun's implementation) because it can cut a socket mid-body while keeping the Content-Length promise.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface ServeMode {
  /** Answer `Range: bytes=N-` with 206 (default true); false answers 200 with the whole file. */
  ranges: boolean;
  /** Destroy the socket after sending this many body bytes, for the next `dropTimes` responses. */
  dropAfter: number | null;
  dropTimes: number;
  /** Flip a byte in the middle of every body sent. */
  corrupt: boolean;
  /** Serve only the first N bytes of the file, as if that were the whole file. */
  truncateTo: number | null;
  /** Answer every request with this status and no body. */
  status: number | null;
  /** Require `Authorization: Bearer <token>`; 401 otherwise. */
  token: string | null;
  /** Serve a Date header from a clock this many ms behind ours (negative: ahead), stamped per request. */
  clockBehindMs: number | null;
}

export interface RequestRecord {
  path: string;
  method: string;
  range: string | null;
  authorization: string | null;
}

export interface FileServer {
  url: string;
  port: number;
  files: Map<string, Uint8Array>;
  mode: ServeMode;
  /** Paths always served plainly, whatever the mode (a manifest beside the files under test). */
  exempt: Set<string>;
  requests: RequestRecord[];
  /** Resets the mode to the defaults and forgets recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const defaults = (): ServeMode => ({
  ranges: true,
  dropAfter: null,
  dropTimes: 0,
  corrupt: false,
  truncateTo: null,
  status: null,
  token: null,
  clockBehindMs: null,
});

export async function startFileServer(files: Record<string, Uint8Array | string> = {}): Promise<FileServer> {
  const state: FileServer = {
    url: "",
    port: 0,
    files: new Map(Object.entries(files).map(([path, body]) => [path, typeof body === "string" ? new TextEncoder().encode(body) : body])),
    mode: defaults(),
    exempt: new Set(),
    requests: [],
    reset() {
      state.mode = defaults();
      state.requests.length = 0;
    },
    close: async () => {},
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const header = (name: string) => (req.headers[name] as string | undefined) ?? null;
    state.requests.push({ path, method: req.method ?? "GET", range: header("range"), authorization: header("authorization") });
    const mode = state.exempt.has(path) ? defaults() : state.mode;
    // A clock this far behind ours, stamped when the request arrives, as a real server's Date is.
    if (mode.clockBehindMs !== null) res.setHeader("date", new Date(Date.now() - mode.clockBehindMs).toUTCString());
    if (mode.status !== null) return res.writeHead(mode.status).end();
    if (mode.token !== null && header("authorization") !== `Bearer ${mode.token}`) return res.writeHead(401).end();
    let file = state.files.get(path);
    if (!file) return res.writeHead(404).end();
    if (mode.truncateTo !== null) file = file.subarray(0, mode.truncateTo);
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(header("range") ?? "");
    if (range && mode.ranges) {
      start = Number(range[1]);
      if (start >= file.length) return res.writeHead(416, { "content-range": `bytes */${file.length}` }).end();
      res.writeHead(206, { "content-length": String(file.length - start), "content-range": `bytes ${start}-${file.length - 1}/${file.length}` });
    } else {
      res.writeHead(200, { "content-length": String(file.length) });
    }
    let body = file.subarray(start);
    if (mode.corrupt && body.length > 0) {
      body = Uint8Array.from(body);
      const at = Math.floor(body.length / 2);
      body[at] = body[at]! ^ 0xff;
    }
    if (mode.dropAfter !== null && mode.dropTimes > 0) {
      mode.dropTimes -= 1;
      res.write(body.subarray(0, mode.dropAfter), () => setTimeout(() => res.socket?.destroy(), 10));
      return;
    }
    res.end(body);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  state.port = typeof address === "object" && address ? address.port : 0;
  state.url = `http://127.0.0.1:${state.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  return state;
}
