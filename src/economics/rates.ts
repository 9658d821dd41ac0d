/**
 * Amounts in USDC and in wei side by side, at the operator's ETH/USD rate (`economics.ethUsd`); without a rate they are
 * never converted (nothing is fetched from price services).
 */
/** USDC base units (6 decimals) to wei at `ethUsd` dollars per ETH; null without a rate. */
export function usdcToWei(usdcRaw: bigint, ethUsd: number | null): bigint | null {
  if (ethUsd === null || !(ethUsd > 0)) return null;
  const microUsdPerEth = BigInt(Math.round(ethUsd * 1_000_000));
  // usdcRaw micro-dollars ÷ (micro-dollars per ETH) × 10^18 wei per ETH.
  return (usdcRaw * 10n ** 18n) / microUsdPerEth;
}

/** Wei to USDC base units at `ethUsd`; null without a rate. */
export function weiToUsdc(wei: bigint, ethUsd: number | null): bigint | null {
  if (ethUsd === null || !(ethUsd > 0)) return null;
  const microUsdPerEth = BigInt(Math.round(ethUsd * 1_000_000));
  return (wei * microUsdPerEth) / 10n ** 18n;
}
