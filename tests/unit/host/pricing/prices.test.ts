import { describe, expect, test } from "bun:test";
import { assertWithinBounds, BUILTIN_PRICES, parsePrice, wantedPrice } from "../../../../src/host/pricing/prices.ts";
import { DEFAULT_BOUNDS } from "../../../../src/host/pricing/units.ts";
import { HostErrors } from "../../../../src/errors/codes/index.ts";

describe("wanted prices", () => {
  const prices = { "a/b:c.gguf": { usdc: "9000" }, "*": { usdc: "7000", eth: "3000000" } };

  test("the model's own entry, else the default entry, else the built-in default", () => {
    expect(wantedPrice({ prices }, "a/b:c.gguf", "usdc")).toEqual({ price: 9000n, source: "model" });
    expect(wantedPrice({ prices }, "a/b:c.gguf", "eth")).toEqual({ price: 3_000_000n, source: "default" });
    expect(wantedPrice({ prices }, "x/y:z.gguf", "usdc")).toEqual({ price: 7000n, source: "default" });
    expect(wantedPrice({ prices: {} }, "x/y:z.gguf", "usdc")).toEqual({ price: 5000n, source: "builtin" });
    expect(wantedPrice({ prices: {} }, "x/y:z.gguf", "eth")).toEqual({ price: 2_000_000_000_000n, source: "builtin" });
  });

  test("built-in defaults: $5 per million tokens, 0.000002 ETH per thousand tokens, within the live bounds", () => {
    expect(BUILTIN_PRICES).toEqual({ usdc: 5000n, eth: 2_000_000_000_000n });
    assertWithinBounds("usdc", BUILTIN_PRICES.usdc, DEFAULT_BOUNDS.usdc, "usdc");
    assertWithinBounds("eth", BUILTIN_PRICES.eth, DEFAULT_BOUNDS.eth, "eth");
  });

  test("input errors name the flag; out-of-bounds errors name the bounds", () => {
    expect(parsePrice("usdc", "2.5")).toBe(2500n);
    expect(() => parsePrice("usdc", "cheap")).toThrow(
      expect.objectContaining({ code: HostErrors.PRICE_INVALID.code, message: expect.stringContaining("--usdc") }),
    );
    expect(() => parsePrice("eth", "0.0000000000000000001")).toThrow(expect.objectContaining({ code: HostErrors.PRICE_INVALID.code }));
    expect(() => assertWithinBounds("usdc", 0n, DEFAULT_BOUNDS.usdc, "--usdc")).toThrow(
      expect.objectContaining({
        code: HostErrors.PRICE_OUT_OF_BOUNDS.code,
        message: "--usdc: 0 USD per million tokens is outside the contract's bounds (0.001 to 100000). Nothing was sent.",
      }),
    );
    expect(() => assertWithinBounds("eth", 227_272n, DEFAULT_BOUNDS.eth, "--eth")).toThrow(
      expect.objectContaining({ code: HostErrors.PRICE_OUT_OF_BOUNDS.code }),
    );
    assertWithinBounds("eth", 227_273n, DEFAULT_BOUNDS.eth, "--eth");
  });
});
