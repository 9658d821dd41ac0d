/** A client talking to the node (or the node stand-in) directly, as the host's front does: `prompts` answers in one session. */
export function chatWithNode(port: number, sessionId: string, jobId: string, prompts = 1): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/ws`);
    let answered = 0;
    const ask = () => ws.send(JSON.stringify({ type: "prompt", session_id: sessionId, prompt: "hello" }));
    ws.onmessage = (event) => {
      const frame = JSON.parse(String(event.data)) as { type: string; message?: string };
      if (frame.type === "connected") ws.send(JSON.stringify({ type: "session_init", session_id: sessionId, job_id: jobId, chain_id: 31337 }));
      else if (frame.type === "session_init_ack") ask();
      else if (frame.type === "stream_end" && ++answered < prompts) ask();
      else if (frame.type === "stream_end") ws.close(1000);
      else if (frame.type === "error") reject(new Error(frame.message ?? "the node answered an error"));
    };
    ws.onclose = () => (answered >= prompts ? resolve() : reject(new Error(`closed after ${answered} answers`)));
    ws.onerror = () => reject(new Error(`could not reach the node on port ${port}`));
  });
}
