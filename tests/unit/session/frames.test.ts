import { describe, expect, test } from "bun:test";
import { readFrame } from "../../../src/session/frames.ts";

describe("reading frames", () => {
  test("snake and camel case ids, numeric and string job ids", () => {
    expect(readFrame('{"type":"session_init","session_id":"a","job_id":5,"chain_id":84532}')).toEqual({ kind: "session_init", sessionId: "a", jobId: "5", encrypted: false, chainId: 84532 });
    expect(readFrame('{"type":"session_init","sessionId":"a","jobId":"6"}')).toMatchObject({ sessionId: "a", jobId: "6" });
    const encrypted = readFrame('{"type":"encrypted_session_init","session_id":"e","chain_id":1,"payload":{}}');
    expect(encrypted).toMatchObject({ kind: "session_init", encrypted: true });
    expect(encrypted && "jobId" in encrypted ? encrypted.jobId : undefined).toBeUndefined();
  });

  test("token counts from chunks and totals from stream_end", () => {
    expect(readFrame('{"type":"stream_chunk","session_id":"a","content":"hi","tokens":3}')).toEqual({ kind: "tokens", sessionId: "a", tokens: 3, encrypted: false });
    expect(readFrame('{"type":"encrypted_chunk","tokens":2,"payload":{"ciphertextHex":"00"}}')).toMatchObject({ kind: "tokens", tokens: 2, encrypted: true });
    expect(readFrame('{"type":"stream_end","tokens_used":42,"usage":{"total_tokens":50}}')).toMatchObject({ kind: "stream_end", tokensUsed: 42 });
    expect(readFrame('{"type":"stream_end","usage":{"total_tokens":50}}')).toMatchObject({ tokensUsed: 50 });
  });

  test("hostile input is ignored, never thrown", () => {
    for (const bad of ["", "{", "[]", "null", '{"type":"stream_chunk","tokens":-1}', '{"type":"stream_chunk","tokens":1e12}', '{"type":"session_init","session_id":{"x":1}}', '{"type":"session_init"}', `{"type":"session_init","session_id":"${"x".repeat(500)}"}`, '{"type":"stream_chunk","tokens":"9999999999"}']) {
      expect(() => readFrame(bad)).not.toThrow();
      const event = readFrame(bad);
      expect(event === undefined || (event.kind === "stream_end" && event.tokensUsed === undefined)).toBe(true);
    }
  });
});
