import { describe, expect, test } from "bun:test";
import { classifyProofFailure } from "../../../src/proof/classify.ts";
import { HostError } from "../../../src/errors/host-error.ts";
import { ChainErrors } from "../../../src/errors/codes/index.ts";

const wouldRevert = (reason: string, error: string | null = null) =>
  new HostError(ChainErrors.TX_WOULD_REVERT, `Proof for job 7 would fail: ${reason}. Nothing was sent.`, { details: { key: "proof:7:100", reason, error } });
const reverted = (reason: string) =>
  new HostError(ChainErrors.TX_REVERTED, `Proof for job 7 failed on chain in block 9 (0xabc): ${reason}.`, { details: { key: "proof:7:100", reason } });

describe("classifyProofFailure decides from the decoded revert and error codes", () => {
  test("the contract's reasons, before sending or from a mined revert", () => {
    expect(classifyProofFailure(wouldRevert("Not active"))).toBe("done");
    expect(classifyProofFailure(reverted("Proof already used"))).toBe("done");
    expect(classifyProofFailure(wouldRevert("Not host"))).toBe("permanent");
    expect(classifyProofFailure(wouldRevert("Low first"))).toBe("permanent");
    expect(classifyProofFailure(reverted("Too many"))).toBe("wait");
    expect(classifyProofFailure(wouldRevert("Dispute wait"))).toBe("wait");
    expect(classifyProofFailure(wouldRevert("the contract is paused", "EnforcedPause"))).toBe("wait");
    // A revert with no rule is the contract's refusal all the same: never looped on.
    expect(classifyProofFailure(wouldRevert("Something new"))).toBe("permanent");
  });

  test("our own prose around a failure decides nothing", () => {
    // The words "rate", "not active" or "already" in a message we wrote are not a revert reason.
    const prose = new HostError(ChainErrors.TX_REJECTED, "every RPC endpoint failed (rate limited at the provider; session not active?)");
    expect(classifyProofFailure(prose)).toBe("transient");
    expect(classifyProofFailure(new Error("rate limit: the session is already completed"))).toBe("transient");
  });

  test("the chain layer's and the RPC library's codes", () => {
    expect(classifyProofFailure(new HostError(ChainErrors.TX_CANCELLED, "cancelled, not sent again"))).toBe("done");
    expect(classifyProofFailure(Object.assign(new Error("nonce has already been used"), { code: "NONCE_EXPIRED" }))).toBe("transient");
    expect(classifyProofFailure(Object.assign(new Error("request timeout"), { code: "TIMEOUT" }))).toBe("transient");
    expect(classifyProofFailure(Object.assign(new Error("execution reverted"), { code: "CALL_EXCEPTION", reason: "Min tokens" }))).toBe("permanent");
  });
});
