/**
 * A client that speaks HTTP/1.1 and WebSocket (RFC 6455) by hand over a TCP socket, so tests can send what no
 * well-behaved client would (odd request lines, methods, frame types, sizes) and pick the source address
 * (127.0.0.2 is as much loopback as 127.0.0.1, and the front sees it as another client).
 */
import net from "node:net";
import { randomBytes } from "node:crypto";

export interface RawResponse {
  status: number;
  head: string;
  body: string;
  bytes: number;
}

/** Sends `text` as is and reads one response (by Content-Length, or until the server closes). */
export function rawRequest(port: number, text: string | Buffer, options: { localAddress?: string; timeoutMs?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress: options.localAddress });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => finish(new Error("no complete response")), options.timeoutMs ?? 5000);
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      // Closed without an answer (a request line the HTTP parser drops): status 0.
      if (split < 0)
        return all.length === 0 && !(error && /timed out|no complete/.test(error.message))
          ? resolve({ status: 0, head: "", body: "", bytes: 0 })
          : reject(error ?? new Error(`no response head: ${JSON.stringify(all.toString("latin1").slice(0, 200))}`));
      const head = all.subarray(0, split).toString("latin1");
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body: all.subarray(split + 4).toString("utf8"), bytes: all.length });
    };
    socket.on("data", (data) => {
      chunks.push(data);
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      if (split < 0) return;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(all.subarray(0, split).toString("latin1"));
      if (length && all.length - split - 4 >= Number(length[1])) finish();
    });
    socket.on("end", () => finish());
    socket.on("error", (error) => finish(error));
    socket.write(text);
  });
}

export interface RawFrame {
  opcode: number;
  payload: Buffer;
}

/** A WebSocket opened by hand: frames of any opcode and size out, parsed frames in, the close code when it ends. */
export class RawWebSocket {
  readonly frames: RawFrame[] = [];
  closeCode: number | undefined;
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private ended = false;

  private constructor(private readonly socket: net.Socket) {}

  static open(port: number, options: { localAddress?: string; path?: string } = {}): Promise<{ status: number; ws?: RawWebSocket; head: string }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port, localAddress: options.localAddress });
      let head = Buffer.alloc(0);
      const onData = (data: Buffer) => {
        head = Buffer.concat([head, data]);
        const split = head.indexOf("\r\n\r\n");
        if (split < 0) return;
        socket.off("data", onData);
        const text = head.subarray(0, split).toString("latin1");
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
        if (status !== 101) {
          socket.destroy();
          return resolve({ status, head: text });
        }
        const ws = new RawWebSocket(socket);
        socket.on("data", (more: Buffer) => ws.receive(more));
        socket.on("close", () => ws.end());
        socket.on("error", () => ws.end());
        ws.receive(head.subarray(split + 4));
        resolve({ status, ws, head: text });
      };
      socket.on("data", onData);
      socket.on("error", reject);
      socket.write(
        `GET ${options.path ?? "/v1/ws"} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  /** One masked frame (clients must mask), FIN set unless `fin` is false. */
  send(payload: string | Buffer, opcode = 1, fin = true): void {
    const body = typeof payload === "string" ? Buffer.from(payload) : payload;
    const mask = randomBytes(4);
    const length = body.length;
    const header =
      length < 126
        ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | length])
        : length < 65536
          ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, length >> 8, length & 255])
          : Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 127]), u64(length)]);
    const masked = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) masked[i] = body[i]! ^ mask[i & 3]!;
    if (!this.socket.destroyed) this.socket.write(Buffer.concat([header, mask, masked]));
  }

  sendJson(value: unknown): void {
    this.send(JSON.stringify(value));
  }

  texts(): Record<string, unknown>[] {
    return this.frames
      .filter((f) => f.opcode === 1)
      .flatMap((f) => {
        try {
          return [JSON.parse(f.payload.toString("utf8")) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  }

  /** Resolves when `check` holds (checked on every frame and at the end), rejects at the deadline. */
  async waitFor(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; frames: ${this.frames.map((f) => f.payload.toString("utf8").slice(0, 120)).join(" | ")}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** The close code the server sent (1005 when none), once the socket is closed. */
  async closed(timeoutMs = 5000): Promise<number> {
    await this.waitFor(() => this.ended, timeoutMs, "close");
    return this.closeCode ?? 1005;
  }

  get isClosed(): boolean {
    return this.ended;
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Stops reading from the kernel (the TCP window fills, the server sees backpressure), and starts again. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  private receive(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    for (;;) {
      if (this.buffer.length < 2) break;
      const opcode = this.buffer[0]! & 0x0f;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) break;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) break;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) break;
      const payload = this.buffer.subarray(offset, offset + length);
      this.buffer = this.buffer.subarray(offset + length);
      if (opcode === 8) this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      this.frames.push({ opcode, payload: Buffer.from(payload) });
    }
    this.wake();
  }

  private end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
