/** Interfaces of single ABI members give the same calldata, results, topics and logs as the whole ABI's. */
import { describe, expect, test } from "bun:test";
import { AbiCoder, Interface, ZeroAddress } from "ethers";
import { HOST_EARNINGS_ABI, JOB_MARKETPLACE_ABI, NODE_REGISTRY_ABI } from "../../../../src/chain/abi/index.ts";
import { abiInterface, decodeResult, encodeCall, eventTopic, memberInterface, parseEventLog } from "../../../../src/chain/abi/interfaces.ts";

const host = "0x19e7e376e7c213b7e7e7e46cc70a5dd086daff2a";

describe("ABI interfaces built on first use", () => {
  test("a member's calldata and decoded result are the whole ABI's", () => {
    const whole = new Interface(HOST_EARNINGS_ABI);
    const args = [host, [ZeroAddress, "0x036CbD53842c5426634e7929541eC2318f3dCF7e"]];
    expect(encodeCall(HOST_EARNINGS_ABI, "getBalances", args)).toBe(whole.encodeFunctionData("getBalances", args));
    const raw = AbiCoder.defaultAbiCoder().encode(["uint256[]"], [[5n, 7n]]);
    expect([...(decodeResult(HOST_EARNINGS_ABI, "getBalances", raw)[0] as bigint[])]).toEqual([5n, 7n]);
  });

  test("an event's topic and a decoded log are the whole ABI's; another event's log is not taken", () => {
    const whole = new Interface(NODE_REGISTRY_ABI);
    const fragment = whole.getEvent("SlashExecuted")!;
    expect(eventTopic(NODE_REGISTRY_ABI, "SlashExecuted")).toBe(fragment.topicHash);
    const log = whole.encodeEventLog(fragment, [host, 100n, 900n, "bafy", "late proofs", ZeroAddress, 1_700_000_000n]);
    const parsed = parseEventLog(NODE_REGISTRY_ABI, ["SlashExecuted", "HostAutoUnregistered"], log)!;
    expect(parsed.name).toBe("SlashExecuted");
    expect(parsed.args.getValue("reason")).toBe("late proofs");
    expect(parseEventLog(NODE_REGISTRY_ABI, ["HostAutoUnregistered"], log)).toBeNull();
  });

  test("each Interface is built once; a member the ABI lacks is an error", () => {
    expect(memberInterface(JOB_MARKETPLACE_ABI, "sessionJobs")).toBe(memberInterface(JOB_MARKETPLACE_ABI, "sessionJobs"));
    expect(abiInterface(JOB_MARKETPLACE_ABI)).toBe(abiInterface(JOB_MARKETPLACE_ABI));
    expect(memberInterface(JOB_MARKETPLACE_ABI, "sessionJobs").fragments).toHaveLength(1);
    expect(() => memberInterface(JOB_MARKETPLACE_ABI, "noSuchThing")).toThrow("no member named noSuchThing");
  });
});
