/**
 * The billing a settlement shows, from the rule of fabstir-compute-contracts@faa3621
 * src/JobMarketplaceWithModelsUpgradeable.sol `_settleSessionPayments` (max(tokensUsed, proofInterval) once a proof
 * exists; the depositor's early cancel credits minTokensFee × price / 1000 with no proof).
 */
import { describe, expect, test } from "bun:test";
import { billingOf } from "../../../../src/host/ledger/billing.ts";

describe("billing of a settled session", () => {
  test("no proof and a credit: the early-cancel fee", () => {
    expect(billingOf({ tokensUsed: 0n, proofInterval: 100n, credited: 750n })).toBe("early-cancel");
  });
  test("no proof, no credit: nothing billed (a timeout, or no early-cancel fee)", () => {
    expect(billingOf({ tokensUsed: 0n, proofInterval: 100n, credited: 0n })).toBe("tokens");
  });
  test("proofs that reach only the proofInterval floor: the minimum", () => {
    expect(billingOf({ tokensUsed: 400n, proofInterval: 400n, credited: 1n })).toBe("minimum");
    expect(billingOf({ tokensUsed: 300n, proofInterval: 400n, credited: 1n })).toBe("minimum");
  });
  test("proofs above the floor, or a floor never read: by tokens", () => {
    expect(billingOf({ tokensUsed: 401n, proofInterval: 400n, credited: 1n })).toBe("tokens");
    expect(billingOf({ tokensUsed: 400n, proofInterval: null, credited: 1n })).toBe("tokens");
  });
});
