/** A local webhook that records what it receives and answers with a chosen status (tests only). */
export interface CapturedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: any;
}

export interface WebhookCapture {
  url: string;
  requests: CapturedRequest[];
  /** Status (and body) the next requests get. */
  respond(status: number, body?: string): void;
  stop(): Promise<void>;
}

export function startWebhookCapture(): WebhookCapture {
  const requests: CapturedRequest[] = [];
  let reply = { status: 200, body: "ok" };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const text = await request.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep raw text
      }
      requests.push({ method: request.method, path: new URL(request.url).pathname, headers: Object.fromEntries(request.headers), body });
      return new Response(reply.body, { status: reply.status });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    respond: (status, body = status < 300 ? "ok" : "error") => {
      reply = { status, body };
    },
    stop: async () => {
      await server.stop(true);
    },
  };
}
