/**
 * The devnet contracts must answer the host CLI exactly as the live ones do: every
 * function, event and error the CLI uses exists with the same name, parameter types and
 * names, indexed flags and state mutability as in the live ABIs; and nothing the two ABIs
 * share by name differs.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { compileContracts } from "../../../scripts/devnet/compile.ts";
import type { AbiEntry, Artifacts, ContractName } from "../../../scripts/devnet/types.ts";
import { abiSources, readAbi } from "../../helpers/live-abis.ts";

/** Our contract -> the live ABI file it stands in for. */
const LIVE_FILE: Record<ContractName, string> = {
  TestToken: "ERC20.json",
  ModelRegistry: "ModelRegistry.json",
  NodeRegistryWithModels: "NodeRegistryWithModels.json",
  HostEarnings: "HostEarnings.json",
  ProofSystem: "ProofSystem.json",
  JobMarketplaceWithModels: "JobMarketplaceWithModels.json",
};

/** What the host CLI (and its tests) call or watch: "function name" / "event name". */
const REQUIRED: Record<ContractName, string[]> = {
  TestToken: [
    ...["name", "symbol", "decimals", "totalSupply", "balanceOf", "transfer", "allowance", "approve", "transferFrom"].map((n) => `function ${n}`),
    "event Transfer",
    "event Approval",
  ],
  ModelRegistry: [
    ...["addTrustedModel", "getModelId", "isModelApproved", "getModel", "models", "getAllModels", "getModelHash", "deactivateModel", "getModelRateLimit"].map(
      (n) => `function ${n}`,
    ),
    "event ModelAdded",
  ],
  NodeRegistryWithModels: [
    ...[
      "MIN_STAKE",
      "PRICE_PRECISION",
      "MIN_PRICE_PER_TOKEN_NATIVE",
      "MAX_PRICE_PER_TOKEN_NATIVE",
      "MIN_PRICE_PER_TOKEN_STABLE",
      "MAX_PRICE_PER_TOKEN_STABLE",
      "registerNode",
      "nodes",
      "getNodeFullInfo",
      "isActiveNode",
      "getNodeModels",
      "nodeSupportsModel",
      "setModelTokenPricing",
      "clearModelTokenPricing",
      "getModelPricing",
      "getHostModelPrices",
      "modelTokenPricing",
      "updateApiUrl",
      "updateMetadata",
      "updateSupportedModels",
      "stake",
      "unregisterNode",
      "slashStake",
      "getAllActiveNodes",
      "fabToken",
      "modelRegistry",
      "getNodeApiUrl",
      "getNodesForModel",
      "lastSlashTime",
    ].map((n) => `function ${n}`),
    ...[
      "NodeRegistered",
      "ModelTokenPricingUpdated",
      "ApiUrlUpdated",
      "MetadataUpdated",
      "ModelsUpdated",
      "NodeUnregistered",
      "SlashExecuted",
      "HostAutoUnregistered",
    ].map((n) => `event ${n}`),
  ],
  HostEarnings: [
    ...[
      "creditEarnings",
      "getBalance",
      "getBalances",
      "withdraw",
      "withdrawAll",
      "withdrawMultiple",
      "totalAccumulated",
      "totalWithdrawn",
      "authorizedCallers",
    ].map((n) => `function ${n}`),
    "event EarningsCredited",
    "event EarningsWithdrawn",
  ],
  ProofSystem: ["function markProofUsed", "function verifiedProofs", "event ProofVerified"],
  JobMarketplaceWithModels: [
    ...[
      "createSessionJobForModel",
      "createSessionJobForModelWithToken",
      "sessionJobs",
      "sessionModel",
      "nextJobId",
      "hostSessions",
      "userSessions",
      "submitProofOfWork",
      "completeSessionJob",
      "triggerSessionTimeout",
      "disputeWindow",
      "feeBasisPoints",
      "MIN_PROVEN_TOKENS",
      "PRICE_PRECISION",
      "hostEarnings",
      "nodeRegistry",
      "usdcAddress",
      "proofSystem",
      "getProofSubmission",
      "paused",
      "depositNative",
      "depositToken",
      "withdrawNative",
      "withdrawToken",
      "getDepositBalance",
      "getDepositBalances",
      "authorizeDelegate",
      "isDelegateAuthorized",
      "isAuthorizedDelegate",
      "createSessionFromDepositForModel",
      "createSessionForModelAsDelegate",
      "minTokensFee",
      "setMinTokensFee",
    ].map((n) => `function ${n}`),
    ...[
      "SessionJobCreated",
      "SessionJobCreatedForModel",
      "ProofSubmitted",
      "SessionCompleted",
      "SessionCompletedBy",
      "SessionTimedOut",
      "SessionCreatedByDepositor",
      "SessionCreatedByDelegate",
      "DepositReceived",
      "DelegateAuthorized",
      "WithdrawalProcessed",
    ].map((n) => `event ${n}`),
  ],
};

interface Param {
  name?: string;
  type: string;
  indexed?: boolean;
  components?: Param[];
}

function param(p: Param): string {
  const type = p.type.startsWith("tuple") ? `(${(p.components ?? []).map(param).join(",")})${p.type.slice(5)}` : p.type;
  return `${type}${p.indexed ? " indexed" : ""} ${p.name ?? ""}`.trim();
}

/** One line that differs whenever anything a client depends on differs. */
function signature(entry: AbiEntry): string {
  const inputs = ((entry.inputs ?? []) as Param[]).map(param).join(", ");
  if (entry.type === "function") {
    const outputs = ((entry.outputs ?? []) as Param[]).map(param).join(", ");
    return `function ${entry.name}(${inputs}) ${entry.stateMutability} returns (${outputs})`;
  }
  if (entry.type === "event") return `event ${entry.name}(${inputs})${entry.anonymous ? " anonymous" : ""}`;
  return `${entry.type} ${entry.name}(${inputs})`;
}

/** "kind name" -> signatures (a list, in case of overloads). */
function index(abi: AbiEntry[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const entry of abi) {
    if (!["function", "event", "error"].includes(entry.type)) continue;
    const key = `${entry.type} ${entry.name}`;
    byName.set(key, [...(byName.get(key) ?? []), signature(entry)].sort());
  }
  return byName;
}

const haveAbis = abiSources();
let artifacts: Artifacts;

beforeAll(async () => {
  artifacts = await compileContracts();
}, 120_000);

// The project's snapshot always, and the facts folder beside the repository too when it is there.
for (const source of haveAbis) {
  const liveAbi = (file: string) => readAbi<AbiEntry>(source.dir, file);
  describe(`devnet ABIs match the live ABIs (${source.name})`, () => {
    for (const name of Object.keys(LIVE_FILE) as ContractName[]) {
      test(`${name}: what the CLI uses is identical`, () => {
        const live = index(liveAbi(LIVE_FILE[name]));
        const ours = index(artifacts[name].abi);
        for (const key of REQUIRED[name]) {
          expect({ key, live: live.get(key) ?? "missing in the live ABI" }).toEqual({ key, live: live.get(key)! });
          expect({ key, ours: ours.get(key) }).toEqual({ key, ours: live.get(key) });
        }
      });

      test(`${name}: everything shared by name is identical`, () => {
        const live = index(liveAbi(LIVE_FILE[name]));
        const ours = index(artifacts[name].abi);
        const differing = [...ours.keys()]
          .filter((key) => live.has(key))
          .filter((key) => JSON.stringify(ours.get(key)) !== JSON.stringify(live.get(key)))
          .map((key) => ({ ours: ours.get(key), live: live.get(key) }));
        expect(differing).toEqual([]);
      });
    }
  });
}
