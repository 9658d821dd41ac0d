import { describe, expect, test } from "bun:test";
import { readFrame } from "../../../src/session/frames.ts";

describe("reading frames", () => {
  test("snake and camel case ids, numeric and string job ids", () => {
    expect(readFrame('{"type":"session_init","session_id":"a","job_id":5,"chain_id":84532}')).toEqual({
      kind: "session_init",
      sessionId: "a",
      jobId: "5",
      encrypted: false,
      chainId: 84532,
    });
    expect(readFrame('{"type":"session_init","sessionId":"a","jobId":"6"}')).toMatchObject({ sessionId: "a", jobId: "6" });
    const encrypted = readFrame('{"type":"encrypted_session_init","session_id":"e","chain_id":1,"payload":{}}');
    expect(encrypted).toMatchObject({ kind: "session_init", encrypted: true });
    expect(encrypted && "jobId" in encrypted ? encrypted.jobId : undefined).toBeUndefined();
  });

  test("token counts from chunks and totals from stream_end", () => {
    expect(readFrame('{"type":"stream_chunk","session_id":"a","content":"hi","tokens":3}')).toEqual({
      kind: "tokens",
      sessionId: "a",
      tokens: 3,
      encrypted: false,
    });
    expect(readFrame('{"type":"encrypted_chunk","tokens":2,"payload":{"ciphertextHex":"00"}}')).toMatchObject({ kind: "tokens", tokens: 2, encrypted: true });
    expect(readFrame('{"type":"stream_end","tokens_used":42,"usage":{"total_tokens":50}}')).toMatchObject({ kind: "stream_end", tokensUsed: 42 });
    expect(readFrame('{"type":"stream_end","usage":{"total_tokens":50}}')).toMatchObject({ tokensUsed: 50 });
  });

  test("hostile input is ignored, never thrown", () => {
    for (const bad of [
      "",
      "{",
      "[]",
      "null",
      '{"type":"stream_chunk","tokens":-1}',
      '{"type":"stream_chunk","tokens":1e12}',
      '{"type":"session_init","session_id":{"x":1}}',
      '{"type":"session_init"}',
      `{"type":"session_init","session_id":"${"x".repeat(500)}"}`,
      '{"type":"stream_chunk","tokens":"9999999999"}',
    ]) {
      expect(() => readFrame(bad)).not.toThrow();
      const event = readFrame(bad);
      expect(event === undefined || (event.kind === "stream_end" && event.tokensUsed === undefined)).toBe(true);
    }
  });

  test("the type is found where serde puts it: last, past the first 256 characters (keys in alphabetical order)", () => {
    // fabstir-llm-node@85a87b8 src/api/server.rs:3266-3285: payload, session_id, tokens, then type.
    const small = `{"id":"m1","payload":{"aadHex":"00","ciphertextHex":"${"ab".repeat(400)}","index":3,"nonceHex":"${"cd".repeat(24)}"},"session_id":"s","tokens":4,"type":"encrypted_chunk"}`;
    expect(small.indexOf('"type"')).toBeGreaterThan(256);
    expect(readFrame(small)).toEqual({ kind: "tokens", sessionId: "s", tokens: 4, encrypted: true });
    // Larger than the monitor parses: the small fields are read from the ends, the payload never parsed.
    const large = `{"final":false,"id":"m2","payload":{"ciphertextHex":"${"ab".repeat(100_000)}","index":9},"session_id":"s","tokens":7,"type":"encrypted_chunk"}`;
    expect(readFrame(large)).toEqual({ kind: "tokens", sessionId: "s", tokens: 7, encrypted: true });
    const ack = `{"chain_id":84532,"client_address":"0x${"1".repeat(40)}","job_id":12,"message":"${"x".repeat(300)}","session_id":"s","type":"session_init_ack"}`;
    expect(readFrame(ack)).toMatchObject({ kind: "session_init_ack", sessionId: "s", jobId: "12" });
  });

  test("text inside a string never passes for a key", () => {
    const sneaky = `{"content":"\\"type\\":\\"stream_chunk\\",\\"tokens\\":999","session_id":"s","type":"other"}`;
    expect(readFrame(sneaky)).toBeUndefined();
    const prompt = JSON.stringify({
      type: "encrypted_message",
      session_id: "s",
      payload: { ciphertextHex: "ab".repeat(50_000) },
      note: '"tokens":5,"type":"encrypted_chunk"',
    });
    expect(readFrame(prompt)).toBeUndefined();
  });

  test("an encrypted init's plaintext job id and a request id to echo", () => {
    // The SDK sends job_id next to the encrypted payload (fabstir-llm-sdk@ae342d6 SessionManager.ts:2120-2125).
    expect(readFrame('{"type":"encrypted_session_init","payload":{},"chain_id":84532,"session_id":"e","job_id":"41","id":"req-1"}')).toEqual({
      kind: "session_init",
      sessionId: "e",
      jobId: "41",
      encrypted: true,
      chainId: 84532,
      messageId: "req-1",
    });
  });
});
