/** ModelRegistry: approved models, their ids and SHA-256 hashes. */
import { LIVE_ERRORS } from "./errors.ts";

export const MODEL_REGISTRY_ABI = [
  "function getModelId(string repo, string fileName) pure returns (bytes32)",
  "function getModel(bytes32 modelId) view returns (tuple(string huggingfaceRepo, string fileName, bytes32 sha256Hash, uint256 approvalTier, bool active, uint256 timestamp) model)",
  "function isModelApproved(bytes32 modelId) view returns (bool)",
  "function getAllModels() view returns (bytes32[])",
  "function models(bytes32 modelId) view returns (string huggingfaceRepo, string fileName, bytes32 sha256Hash, uint256 approvalTier, bool active, uint256 timestamp)",
  ...LIVE_ERRORS,
] as const;
