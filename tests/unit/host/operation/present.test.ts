import { describe, expect, test } from "bun:test";
import { askToProceed, operationHooks, planJson, renderPlan } from "../../../../src/host/operation/present.ts";
import type { OperationPlan } from "../../../../src/host/operation/tx-plan.ts";
import { makeTestContext, scriptedPrompter } from "../../../helpers/context.ts";
import { CoreErrors } from "../../../../src/errors/codes/index.ts";

const plan: OperationPlan = {
  action: "register",
  address: "0x00000000000000000000000000000000000000A1",
  network: { name: "local", label: "local devnet", chainId: 31337 },
  txs: [
    {
      kind: "approve",
      key: "register:0xA1:approve",
      description: "approve 1000 FAB for the stake",
      to: "0x00000000000000000000000000000000000000B2",
      data: "0x095ea7b3",
      phase: 0,
      gasGuess: 70_000n,
    },
    {
      kind: "register",
      key: "register:0xA1:register",
      description: "register the host at https://h.example.org with 1 model",
      to: "0x00000000000000000000000000000000000000B3",
      data: "0xabcdef",
      phase: 1,
      gasGuess: 820_000n,
    },
  ],
  gas: { gasUnits: 890_000n, maxFeePerGasWei: 2_500_000_000n, costWei: 2_670_000_000_000_000n },
  notes: ["Stake: 1000 FAB"],
  warnings: ["Only 0.01 ETH for gas"],
};

describe("presenting a plan", () => {
  test("numbered steps, the gas estimate in gwei and ETH, notes and warnings", () => {
    expect(renderPlan(plan)).toBe(
      [
        "Plan for 0x00000000000000000000000000000000000000A1 on local devnet (chain id 31337):",
        "  1. approve 1000 FAB for the stake",
        "  2. register the host at https://h.example.org with 1 model",
        "Estimated gas: 890,000 gas at up to 2.5 gwei ≈ 0.00267 ETH at most",
        "Note: Stake: 1000 FAB",
        "Warning: Only 0.01 ETH for gas",
      ].join("\n"),
    );
  });

  test("--json leaves the calldata out", () => {
    expect(planJson(plan).txs).toEqual([
      { kind: "approve", key: "register:0xA1:approve", description: "approve 1000 FAB for the stake", to: plan.txs[0]!.to, gasGuess: 70_000n },
      { kind: "register", key: "register:0xA1:register", description: plan.txs[1]!.description, to: plan.txs[1]!.to, gasGuess: 820_000n },
    ]);
  });

  test("asking: --yes skips, no terminal refuses naming --yes, a no cancels", async () => {
    await askToProceed(makeTestContext(), "Go?", true);
    await expect(askToProceed(makeTestContext(), "Go?", false)).rejects.toMatchObject({
      code: CoreErrors.NOT_INTERACTIVE.code,
      hint: expect.stringContaining("--yes"),
    });
    await expect(askToProceed(makeTestContext({ tty: true, prompter: scriptedPrompter({ "Go?": false }) }), "Go?", false)).rejects.toMatchObject({
      code: CoreErrors.CANCELLED.code,
    });
    await askToProceed(makeTestContext({ tty: true, prompter: scriptedPrompter({ "Go?": true }) }), "Go?", false);
  });

  test("the hooks show the plan on stderr before asking, and each transaction as it is confirmed", async () => {
    const context = makeTestContext({ tty: true, prompter: scriptedPrompter({ "Send these 2 transactions?": true }) });
    const hooks = operationHooks(context, { yes: false });
    await hooks.confirm(plan);
    hooks.progress!({
      kind: "approve",
      key: "k",
      description: "approve 1000 FAB for the stake",
      hash: "0x12",
      blockNumber: 1,
      gasUsed: 1n,
      costWei: 1n,
      reused: false,
    });
    expect(context.err.text()).toContain("1. approve 1000 FAB for the stake");
    expect(context.err.text()).toContain("✓ approve 1000 FAB for the stake: 0x12");
    expect(context.out.text()).toBe("");
  });
});

test("with --json on a terminal, the plan is still shown (on stderr) before the question; stdout stays clean", async () => {
  const context = makeTestContext({ tty: true, prompter: scriptedPrompter({ "Send these 2 transactions?": true }) });
  context.output.json = true;
  await operationHooks(context, { yes: false }).confirm(plan);
  expect(context.err.text()).toContain("1. approve 1000 FAB for the stake");
  expect(context.out.text()).toBe("");
  const scripted = makeTestContext();
  scripted.output.json = true;
  await operationHooks(scripted, { yes: true }).confirm(plan);
  expect(scripted.err.text()).toBe("");
});
