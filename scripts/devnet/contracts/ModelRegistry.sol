// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./Base.sol";

/// @title ModelRegistry (devnet)
/// @notice The list of approved models. The live registry also runs token-weighted
///         proposals; the devnet keeps only the owner's trusted-model path, which is all
///         a host ever reads: ids, approval, the file's SHA-256 and the proof rate limit.
/// @dev Revert reasons:
///   "Empty repo" / "Empty file name"  addTrustedModel with an empty string
///   "Invalid hash"                    addTrustedModel with a zero SHA-256
///   "Model already exists"            the (repo, file) pair is already listed
///   "Model not found"                 the id was never added
///   "Model not active" / "Model already active"   (de)activating twice
///   "Invalid rate limit"              setModelRateLimit outside MIN..MAX_RATE_LIMIT
///   OwnableUnauthorizedAccount(addr)  owner-only function called by someone else
contract ModelRegistry is Owned {
    struct Model {
        string huggingfaceRepo;
        string fileName;
        bytes32 sha256Hash;
        uint256 approvalTier; // 1 = trusted (added by the owner)
        bool active;
        uint256 timestamp;
    }

    /// Tokens per second a proof may claim when no per-model limit is set.
    uint256 public constant DEFAULT_RATE_LIMIT = 2000;
    uint256 public constant MIN_RATE_LIMIT = 10;
    uint256 public constant MAX_RATE_LIMIT = 100000;

    mapping(bytes32 => Model) public models;
    bytes32[] public modelList;
    mapping(bytes32 => uint256) public modelMaxTokensPerSecond;

    event ModelAdded(bytes32 indexed modelId, string huggingfaceRepo, string fileName, uint256 tier);
    event ModelDeactivated(bytes32 indexed modelId);
    event ModelReactivated(bytes32 indexed modelId);
    event ModelRateLimitUpdated(bytes32 indexed modelId, uint256 maxTokensPerSecond);

    /// keccak256(repo + "/" + fileName): the id people write as `repo:file`.
    function getModelId(string memory repo, string memory fileName) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(repo, "/", fileName));
    }

    function addTrustedModel(string memory huggingfaceRepo, string memory fileName, bytes32 sha256Hash)
        external
        onlyOwner
    {
        require(bytes(huggingfaceRepo).length > 0, "Empty repo");
        require(bytes(fileName).length > 0, "Empty file name");
        require(sha256Hash != bytes32(0), "Invalid hash");
        bytes32 modelId = getModelId(huggingfaceRepo, fileName);
        require(models[modelId].timestamp == 0, "Model already exists");

        models[modelId] = Model(huggingfaceRepo, fileName, sha256Hash, 1, true, block.timestamp);
        modelList.push(modelId);
        emit ModelAdded(modelId, huggingfaceRepo, fileName, 1);
    }

    function deactivateModel(bytes32 modelId) external onlyOwner {
        require(models[modelId].timestamp != 0, "Model not found");
        require(models[modelId].active, "Model not active");
        models[modelId].active = false;
        emit ModelDeactivated(modelId);
    }

    function reactivateModel(bytes32 modelId) external onlyOwner {
        require(models[modelId].timestamp != 0, "Model not found");
        require(!models[modelId].active, "Model already active");
        models[modelId].active = true;
        emit ModelReactivated(modelId);
    }

    function setModelRateLimit(bytes32 modelId, uint256 maxTokensPerSec) external onlyOwner {
        require(models[modelId].timestamp != 0, "Model not found");
        require(maxTokensPerSec >= MIN_RATE_LIMIT && maxTokensPerSec <= MAX_RATE_LIMIT, "Invalid rate limit");
        modelMaxTokensPerSecond[modelId] = maxTokensPerSec;
        emit ModelRateLimitUpdated(modelId, maxTokensPerSec);
    }

    function getModelRateLimit(bytes32 modelId) external view returns (uint256) {
        uint256 limit = modelMaxTokensPerSecond[modelId];
        return limit > 0 ? limit : DEFAULT_RATE_LIMIT;
    }

    function isModelApproved(bytes32 modelId) external view returns (bool) {
        return models[modelId].active;
    }

    function isTrustedModel(bytes32 modelId) external view returns (bool) {
        return models[modelId].active && models[modelId].approvalTier == 1;
    }

    function getModel(bytes32 modelId) external view returns (Model memory) {
        return models[modelId];
    }

    function getModelHash(bytes32 modelId) external view returns (bytes32) {
        return models[modelId].sha256Hash;
    }

    function getAllModels() external view returns (bytes32[] memory) {
        return modelList;
    }
}
