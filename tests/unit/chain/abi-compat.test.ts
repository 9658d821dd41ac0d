/**
 * Every function, event and error of the project's ABI fragments must exist in the ABIs the live contracts publish,
 * with the same name, types and mutability. The published ABIs are test data: the project's snapshot
 * (tests/fixtures/abis), and the facts folder beside the repository when it is there (tests/helpers/live-abis.ts).
 */
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ABIS } from "../../../src/chain/abi/index.ts";
import { findAbiDrift, formatAbiDrift } from "../../../src/chain/abi/compat.ts";
import { abiSources, readAbi } from "../../helpers/live-abis.ts";

for (const source of abiSources()) {
  describe(`ABI fragments match the live contracts (${source.name})`, () => {
    test("every contract has its published ABI", () => {
      for (const name of Object.keys(PROJECT_ABIS)) expect(existsSync(join(source.dir, `${name}.json`)), name).toBe(true);
    });

    for (const [name, fragments] of Object.entries(PROJECT_ABIS)) {
      test(name, () => {
        const drift = findAbiDrift(name, fragments, readAbi(source.dir, `${name}.json`) as never);
        // The message names every drifting function, so a failure says what to fix.
        expect(formatAbiDrift(drift)).toBe("");
      });
    }
  });
}

describe("the checker catches drift", () => {
  const live = [
    "function getModelPricing(address operator, bytes32 modelId, address token) view returns (uint256)",
    "function registerNode(string metadata, string apiUrl, bytes32[] modelIds, uint256 a, uint256 b)",
    "function getModel(bytes32 id) view returns (tuple(string repo, string file, bytes32 sha, uint256 tier, bool active, uint256 ts))",
    "event ModelTokenPricingUpdated(address indexed operator, bytes32 indexed modelId, address indexed token, uint256 price)",
    "error OwnableUnauthorizedAccount(address account)",
  ];

  test("an identical fragment list (names aside) has no drift", () => {
    const ours = [
      "function getModelPricing(address host, bytes32 id, address t) view returns (uint256 price)",
      "function getModel(bytes32 modelId) view returns (tuple(string huggingfaceRepo, string fileName, bytes32 sha256Hash, uint256 approvalTier, bool active, uint256 timestamp) model)",
    ];
    expect(findAbiDrift("X", ours, live)).toEqual([]);
  });

  test("a changed input type is reported by name", () => {
    const drift = findAbiDrift("NodeRegistry", ["function getModelPricing(address operator, bytes32 modelId) view returns (uint256)"], live);
    expect(formatAbiDrift(drift)).toContain("NodeRegistry.getModelPricing: input types differ");
  });

  test("a changed output type, mutability, a missing function", () => {
    const drift = findAbiDrift(
      "C",
      [
        "function getModelPricing(address operator, bytes32 modelId, address token) view returns (uint128)",
        "function registerNode(string metadata, string apiUrl, bytes32[] modelIds, uint256 a, uint256 b) payable",
        "function registerNodeV2(string metadata)",
      ],
      live,
    );
    const text = formatAbiDrift(drift);
    expect(text).toContain("C.getModelPricing: output types differ");
    expect(text).toContain("C.registerNode: mutability differs: ours payable, live nonpayable");
    expect(text).toContain("C.registerNodeV2: function is missing");
  });

  test("a tuple whose components changed", () => {
    const drift = findAbiDrift(
      "M",
      ["function getModel(bytes32 id) view returns (tuple(string repo, string file, bytes32 sha, uint256 tier, bool active))"],
      live,
    );
    expect(formatAbiDrift(drift)).toContain("M.getModel: output types differ");
  });

  test("an event whose indexed flags changed, and an unknown error", () => {
    const drift = findAbiDrift(
      "R",
      [
        "event ModelTokenPricingUpdated(address indexed operator, bytes32 modelId, address indexed token, uint256 price)",
        "error OwnableUnauthorizedAccount(address account, uint256 extra)",
      ],
      live,
    );
    const text = formatAbiDrift(drift);
    expect(text).toContain("R.ModelTokenPricingUpdated: event inputs differ");
    expect(text).toContain("R.OwnableUnauthorizedAccount: error inputs differ");
  });
});
