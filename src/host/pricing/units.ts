/**
 * Prices between people and contracts. Every on-chain price carries PRICE_PRECISION = 1000:
 *   host payment (token base units) = tokensUsed × pricePerToken / 1000.
 * People price in:
 *   USDC: dollars per million tokens  → price = dollars × 1000            ($5 / M tokens = 5000)
 *   ETH:  ETH per thousand tokens     → price = ETH × 10^18 (i.e. in wei) (0.000002 ETH / 1k tokens = 2e12)
 * Conversions are exact decimal arithmetic on bigints: no floating point anywhere near money.
 */
export const PRICE_PRECISION = 1000n;

export type PriceToken = "eth" | "usdc";

export interface PriceBounds {
  min: bigint;
  max: bigint;
}

/** The live contract's bounds (NodeRegistry MIN/MAX_PRICE_PER_TOKEN_*); read from chain where possible. */
export const DEFAULT_BOUNDS: Record<PriceToken, PriceBounds> = {
  usdc: { min: 1n, max: 100_000_000n },
  eth: { min: 227_273n, max: 22_727_272_727_273_000n },
};

/** Decimal places between the human unit and the contract unit. */
const SCALE: Record<PriceToken, number> = { usdc: 3, eth: 18 };

export const HUMAN_UNIT: Record<PriceToken, string> = {
  usdc: "USD per million tokens",
  eth: "ETH per thousand tokens",
};

export class PriceFormatError extends Error {}

/** Parses "5", "0.25", "1e-6" style input into contract units; refuses anything not exactly representable. */
export function toContractPrice(token: PriceToken, human: string): bigint {
  const text = human.trim();
  const expanded = expandExponent(text);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(expanded);
  if (!match) throw new PriceFormatError(`"${human}" is not a price; expected a positive decimal number of ${HUMAN_UNIT[token]}`);
  const [, whole, fraction = ""] = match;
  const scale = SCALE[token];
  const trimmed = fraction.replace(/0+$/, "");
  if (trimmed.length > scale) {
    throw new PriceFormatError(`"${human}" has more precision than the contract can hold (at most ${scale} decimals of ${HUMAN_UNIT[token]})`);
  }
  return BigInt(whole!) * 10n ** BigInt(scale) + BigInt(trimmed.padEnd(scale, "0") || "0");
}

export function fromContractPrice(token: PriceToken, price: bigint): string {
  const scale = BigInt(SCALE[token]);
  const unit = 10n ** scale;
  const whole = price / unit;
  const fraction = (price % unit).toString().padStart(Number(scale), "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

export function checkBounds(token: PriceToken, price: bigint, bounds: PriceBounds = DEFAULT_BOUNDS[token]): string | undefined {
  if (price >= bounds.min && price <= bounds.max) return undefined;
  return `${fromContractPrice(token, price)} ${HUMAN_UNIT[token]} is outside the contract's bounds (${fromContractPrice(token, bounds.min)} to ${fromContractPrice(token, bounds.max)})`;
}

/** What a session of `tokens` tokens pays the host before the network fee, in the token's base units. */
export function paymentFor(tokens: bigint, price: bigint): bigint {
  return (tokens * price) / PRICE_PRECISION;
}

function expandExponent(text: string): string {
  const match = /^(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text);
  if (!match) return text;
  const [, whole, fraction = "", exponentText] = match;
  const digits = whole! + fraction;
  const point = whole!.length + Number(exponentText);
  if (point <= 0) return `0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + "0".repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}
