/**
 * What a mined transaction cost, from its raw receipt JSON: gasUsed × effectiveGasPrice, plus the L1 data fee that
 * OP-stack chains (Base) add to the receipt as `l1Fee` (ethers' TransactionReceipt drops unknown fields, so the raw
 * JSON-RPC answer is read). Chains without it (anvil) cost L2 gas only.
 */
export interface RawReceipt {
  transactionHash: string;
  from: string;
  blockNumber: string;
  status?: string;
  gasUsed: string;
  effectiveGasPrice?: string;
  l1Fee?: string | null;
}

export interface ReceiptFee {
  from: string;
  block: number;
  status: number;
  gasUsed: bigint;
  effectiveGasPrice: bigint;
  l1Fee: bigint;
  feeWei: bigint;
}

export function feeOfReceipt(receipt: RawReceipt): ReceiptFee {
  const gasUsed = BigInt(receipt.gasUsed);
  const effectiveGasPrice = BigInt(receipt.effectiveGasPrice ?? "0x0");
  const l1Fee = receipt.l1Fee ? BigInt(receipt.l1Fee) : 0n;
  return {
    from: receipt.from.toLowerCase(),
    block: Number(BigInt(receipt.blockNumber)),
    status: receipt.status === undefined ? 1 : Number(BigInt(receipt.status)),
    gasUsed,
    effectiveGasPrice,
    l1Fee,
    feeWei: gasUsed * effectiveGasPrice + l1Fee,
  };
}
