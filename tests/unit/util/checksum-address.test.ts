import { describe, expect, test } from "bun:test";
import { getAddress, Wallet } from "ethers";
import { checksumAddress } from "../../../src/util/checksum-address.ts";

describe("checksumAddress", () => {
  test("matches ethers' EIP-55 form for the EIP's own vectors and random addresses", () => {
    const vectors = [
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
      "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
      "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
      "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];
    for (const address of vectors) expect(checksumAddress(address.toLowerCase())).toBe(address);
    for (let i = 0; i < 50; i++) {
      const address = Wallet.createRandom().address;
      expect(checksumAddress(address.toUpperCase().replace("0X", "0x"))).toBe(getAddress(address));
    }
  });
});
