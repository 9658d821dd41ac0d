/**
 * A minimal upstream for the front benchmark: a WebSocket server that, asked `{"type":"burst","n":N}`, sends N
 * stream_chunk frames as fast as it can, each stamped with the wall clock in microseconds. It stands in for the node so
 * the benchmark measures the front, not token generation. Prints its port on stdout.
 */
const now = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(request, srv) {
    return srv.upgrade(request) ? undefined : new Response("ws only", { status: 400 });
  },
  websocket: {
    message(ws, message) {
      const request = JSON.parse(String(message)) as { type: string; n: number; session_id: string; perMs?: number };
      if (request.type === "paced") {
        // A steady stream well below capacity: latency without queueing.
        let sent = 0;
        const timer = setInterval(() => {
          for (let k = 0; k < (request.perMs ?? 5) && sent < request.n; k++, sent++) {
            ws.send(`{"type":"stream_chunk","session_id":"${request.session_id}","content":"tok","tokens":1,"t":${now()}}`);
          }
          if (sent >= request.n) {
            clearInterval(timer);
            ws.send(`{"type":"stream_end","session_id":"${request.session_id}","reason":"complete","tokens_used":${request.n},"t":${now()}}`);
          }
        }, 1);
        return;
      }
      if (request.type !== "burst") return;
      const send = (i: number) => {
        for (; i < request.n; i++) {
          const status = ws.send(`{"type":"stream_chunk","session_id":"${request.session_id}","content":"tok","tokens":1,"t":${now()}}`);
          // Respect backpressure like a real server: continue when the socket drains.
          if (status === -1) return void setTimeout(() => send(i + 1), 0);
        }
        ws.send(`{"type":"stream_end","session_id":"${request.session_id}","reason":"complete","tokens_used":${request.n},"t":${now()}}`);
      };
      send(0);
    },
  },
});
console.log(server.port);
process.on("SIGTERM", () => process.exit(0));

export {};
