/**
 * What the real fabstir-llm-node writes, byte for byte, transcribed from its source (each fixture cites where).
 * Values the node makes up at run time (content, hex, timestamps, ids) are example values; key order is not:
 * `json!` / `to_value` output is a BTreeMap without serde_json's preserve_order (fabstir-llm-node@85a87b8
 * Cargo.toml:21), so keys come sorted; structs serialize in declaration order.
 *
 * Both the stand-in (stand-in.test.ts) and the CLI's parsers (cli-parsers.test.ts) are held to these.
 */

export interface HttpFixture {
  source: string;
  status: number;
  body: string;
}

export interface FrameFixture {
  source: string;
  frame: string;
}

export const HEALTH_RUNNING: HttpFixture = {
  source: "fabstir-llm-node@85a87b8 src/api/server.rs:1505-1534, src/api/handlers.rs:101-105",
  status: 200,
  body: '{"status":"degraded","issues":["No P2P node available"]}',
};

/** Two issues: the circuit breaker opened on top of the missing P2P node. */
export const HEALTH_BREAKER_OPEN: HttpFixture = {
  source: "fabstir-llm-node@85a87b8 src/api/server.rs:1514-1524",
  status: 200,
  body: '{"status":"unhealthy","issues":["No P2P node available","Circuit breaker is open"]}',
};

export const MODELS_RUNNING: HttpFixture = {
  source: "fabstir-llm-node@85a87b8 src/api/server.rs:1482-1487, 4393-4399; src/api/errors.rs:8-15, 67, 162",
  status: 503,
  body: '{"error_type":"service_unavailable","message":"no available nodes","request_id":null,"details":null}',
};

export const CHECKPOINTS_KEYLESS: HttpFixture = {
  source: "fabstir-llm-node@85a87b8 src/api/server.rs:1643-1654",
  status: 503,
  body: '{"error":"Checkpoint service unavailable"}',
};

export const CHECKPOINTS_NONE: HttpFixture = {
  source: "fabstir-llm-node@85a87b8 src/api/server.rs:1692-1701",
  status: 404,
  body: '{"error":"No checkpoints found for session sess-1"}',
};

/**
 * An index with a padded first checkpoint (claimed 1000 at 1000 generated) and a second one; the second is encrypted
 * (a recovery key was given). src/checkpoint/index.rs:13-51 (camelCase, `encrypted` omitted when None),
 * src/contracts/checkpoint_manager.rs:956-958 (tokenRange), src/api/server.rs:1672 (to_value: sorted keys).
 */
export const CHECKPOINTS_INDEX: HttpFixture = {
  source: "fabstir-llm-node@85a87b8 src/api/server.rs:1630-1716, src/checkpoint/index.rs:13-51",
  status: 200,
  body:
    '{"checkpoints":[' +
    '{"deltaCid":"bafkreiaaaa","index":0,"proofHash":"0x1111111111111111111111111111111111111111111111111111111111111111","timestamp":1750000000000,"tokenRange":[0,1000]},' +
    '{"deltaCid":"bafkreibbbb","encrypted":true,"index":1,"proofHash":"0x2222222222222222222222222222222222222222222222222222222222222222","timestamp":1750000060000,"tokenRange":[1000,2000]}' +
    '],"hostAddress":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","hostSignature":"0x' +
    "ab".repeat(65) +
    '","sessionId":"sess-1"}',
};

export const FRAMES = {
  connected: { source: "fabstir-llm-node@85a87b8 src/api/server.rs:2074-2077", frame: '{"message":"WebSocket connected successfully","type":"connected"}' },
  sessionInitAck: {
    source: "fabstir-llm-node@85a87b8 src/api/server.rs:2175-2187",
    frame:
      '{"chain_id":84532,"id":"m-1","job_id":42,"message":"Session initialized successfully","session_id":"sess-1","status":"success","type":"session_init_ack"}',
  },
  encryptedSessionInitAck: {
    source: "fabstir-llm-node@85a87b8 src/api/server.rs:2434-2447",
    frame:
      '{"chain_id":84532,"client_address":"0xabc","id":"m-2","job_id":42,"message":"Encrypted session initialized successfully","session_id":"sess-1","status":"success","type":"session_init_ack"}',
  },
  encryptionNotSupported: {
    source: "fabstir-llm-node@85a87b8 src/api/server.rs:2528-2537",
    frame:
      '{"code":"ENCRYPTION_NOT_SUPPORTED","id":"m-2","message":"Node does not have encryption key configured. Please use plaintext session_init or configure HOST_PRIVATE_KEY.","session_id":"sess-1","type":"error"}',
  },
  streamChunk: { source: "fabstir-llm-node@85a87b8 src/api/server.rs:3848-3857", frame: '{"content":" Paris","id":"p-1","tokens":1,"type":"stream_chunk"}' },
  streamEndComplete: {
    source: "fabstir-llm-node@85a87b8 src/api/server.rs:3870-3893",
    frame:
      '{"finish_reason":"stop","id":"p-1","reason":"complete","tokens_used":40,"type":"stream_end","usage":{"completion_tokens":40,"context_window_size":8192,"prompt_tokens":3,"total_tokens":43}}',
  },
  streamEndCancelled: {
    source: "fabstir-llm-node@85a87b8 src/api/server.rs:3829-3831",
    frame: '{"finish_reason":"cancelled","reason":"cancelled","session_id":"sess-1","tokens_used":5,"type":"stream_end"}',
  },
  tokenLimitExceeded: {
    source: "fabstir-llm-node@85a87b8 src/api/server.rs:3912-3944, src/inference/engine.rs:551",
    frame:
      '{"code":"TOKEN_LIMIT_EXCEEDED","context_window_size":512,"id":"p-2","message":"Prompt (600 tokens) exceeds context window (512 tokens) by 88 tokens","prompt_tokens":600,"type":"error"}',
  },
  streamEndError: {
    source: "fabstir-llm-node@85a87b8 src/api/server.rs:3955-3960",
    frame: '{"id":"p-2","reason":"error","tokens_used":0,"type":"stream_end"}',
  },
  encryptedChunk: {
    source: "fabstir-llm-node@85a87b8 src/api/server.rs:3264-3290",
    frame:
      '{"final":true,"id":"e-1","payload":{"aadHex":"6368756e6b5f30","ciphertextHex":"00ff","index":0,"nonceHex":"' +
      "00".repeat(24) +
      '"},"session_id":"sess-1","tokens":1,"type":"encrypted_chunk"}',
  },
  encryptedResponse: {
    source: "fabstir-llm-node@85a87b8 src/api/server.rs:3330-3348",
    frame:
      '{"id":"e-1","payload":{"aadHex":"656e637279707465645f726573706f6e73655f66696e616c","ciphertextHex":"00ff","nonceHex":"' +
      "00".repeat(24) +
      '"},"session_id":"sess-1","type":"encrypted_response"}',
  },
  /**
   * A chunk as the SDK meets it: the WebSocket client's id ("<ms>-<random>", WebSocketClient.ts:207-209), a numeric
   * session id, a later chunk index. Sorted keys put "type" past byte 256.
   */
  encryptedChunkLong: {
    source: "fabstir-llm-node@85a87b8 src/api/server.rs:3264-3290; fabstir-llm-sdk@ae342d6 packages/sdk-core/src/websocket/WebSocketClient.ts:207-209",
    frame:
      '{"final":true,"id":"1733400000000-k3j9x2a","payload":{"aadHex":"6368756e6b5f313233","ciphertextHex":"' +
      "ab".repeat(22) +
      '","index":123,"nonceHex":"' +
      "00".repeat(24) +
      '"},"session_id":"184467440737095","tokens":1,"type":"encrypted_chunk"}',
  },
} satisfies Record<string, FrameFixture>;
