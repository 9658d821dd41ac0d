/** The redactor's shapes (src/util/redact.ts): what is masked everywhere, what only in config, what stays visible. */
import { afterEach, describe, expect, test } from "bun:test";
import {
  containsMnemonic,
  forgetSecrets,
  looksLikeSecret,
  maskUrl,
  redact,
  redactStrict,
  registerInputSecrets,
  registerUrlSecrets,
} from "../../src/util/redact.ts";

const KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const TX_HASH = "0x9a1f3c6a0e1b2d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5";
const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";

afterEach(() => forgetSecrets());

describe("keys pasted on the command line", () => {
  test("are masked with and without 0x wherever they come back, in any argument or --flag=value", () => {
    registerInputSecrets(["withdraw", "--to", KEY]);
    expect(redact(`--to ${KEY}: not an address`)).toBe("--to [REDACTED]: not an address");
    expect(redact(`bare ${KEY.slice(2)} too`)).toBe("bare [REDACTED] too");
    forgetSecrets();
    registerInputSecrets(["config", "set", `--value=${KEY.slice(2)}`]);
    expect(redact(`got ${KEY}`)).toBe("got [REDACTED]");
  });

  test("hashes typed on purpose (--sha256, --model, models info <id>) stay visible, as do tx hashes in output", () => {
    registerInputSecrets(["models", "download", "org/r:f.gguf", "--sha256", TX_HASH.slice(2)]);
    registerInputSecrets(["pricing", "set", "--model", TX_HASH]);
    registerInputSecrets(["models", "info", TX_HASH]);
    expect(redact(`proof ${TX_HASH} mined`)).toBe(`proof ${TX_HASH} mined`);
  });

  test("a recovery phrase is masked in any letter case, and inside JSON with a newline", () => {
    registerInputSecrets(["config", "set", "host.location", MNEMONIC.replace(" wave ", "\nwave ")]);
    expect(redact(JSON.stringify({ message: MNEMONIC.replace(" wave ", "\nwave ") }))).not.toContain("sausage");
    expect(redact(MNEMONIC.toUpperCase())).toBe("[REDACTED]");
    expect(containsMnemonic("the quick brown fox jumps over the lazy dog and then some more words")).toBe(false);
  });
});

describe("URLs", () => {
  test("user:pass@ and key-like query parameters are masked in any text", () => {
    expect(redact("fetch https://alice:s3cret@rpc.example.org/x failed")).toBe("fetch https://[REDACTED]@rpc.example.org/x failed");
    expect(redact("GET https://rpc.example.org/?apikey=abc123&chain=base")).toBe("GET https://rpc.example.org/?apikey=[REDACTED]&chain=base");
  });

  test("a configured RPC URL's key in the path is masked wherever it is repeated", () => {
    registerUrlSecrets("https://base-sepolia.g.alchemy.com/v2/AbCdEf0123456789xyzKEY");
    expect(redact("RPC https://base-sepolia.g.alchemy.com/v2/AbCdEf0123456789xyzKEY timed out")).toBe(
      "RPC https://base-sepolia.g.alchemy.com/v2/[REDACTED] timed out",
    );
  });

  test("a malformed escape in a URL does not stop the registration", () => {
    registerUrlSecrets("https://user:pa%ZZss@rpc.example.org/v2/AbCdEf0123456789%ZZ");
    expect(redact("at https://rpc.example.org/v2/AbCdEf0123456789%ZZ")).not.toContain("AbCdEf");
  });

  test("maskUrl keeps where a URL points, not what authenticates it", () => {
    expect(maskUrl("https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef")).toBe("https://mainnet.infura.io/[REDACTED]");
    expect(maskUrl("https://sepolia.base.org")).toBe("https://sepolia.base.org");
    expect(maskUrl("not a url")).toBe("[REDACTED]");
  });
});

describe("config text", () => {
  test("redactStrict masks every 32-byte hex; looksLikeSecret finds keys and phrases", () => {
    expect(redactStrict(`location ${TX_HASH}`)).toBe("location [REDACTED]");
    expect(looksLikeSecret(KEY.slice(2))).toBe(true);
    expect(looksLikeSecret(`x ${MNEMONIC} y`)).toBe(true);
    expect(looksLikeSecret("0xfaB5F5B8f3a0C5C1e3c9D3A6B1e9F8e7d6C5b4a3")).toBe(false);
  });
});
