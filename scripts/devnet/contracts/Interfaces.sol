// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// The slices of the other devnet contracts that the marketplace calls.

interface IRegistryForMarket {
    function modelRegistry() external view returns (address);
    function isActiveNode(address operator) external view returns (bool);
    function nodeSupportsModel(address nodeAddress, bytes32 modelId) external view returns (bool);
    function getModelPricing(address operator, bytes32 modelId, address token) external view returns (uint256);
    function nodes(address operator)
        external
        view
        returns (address, uint256, bool, string memory, string memory, uint256, uint256);
}

interface IModelsForMarket {
    function isModelApproved(bytes32 modelId) external view returns (bool);
    function getModelRateLimit(bytes32 modelId) external view returns (uint256);
}

interface IEarningsForMarket {
    function creditEarnings(address host, uint256 amount, address token) external;
}

interface IProofsForMarket {
    function markProofUsed(bytes32 proofHash, address prover, uint256 claimedTokens, bytes32 modelId)
        external
        returns (bool);
}

/// ABI of JobMarketplaceWithModels.sessionJobs, which the contract encodes by hand
/// (see MarketplaceCore). Never called through; compile.ts copies this entry.
interface SessionJobsAbi {
    function sessionJobs(uint256)
        external
        view
        returns (
            uint256 id,
            address depositor,
            address host,
            address paymentToken,
            uint256 deposit,
            uint256 pricePerToken,
            uint256 tokensUsed,
            uint256 maxDuration,
            uint256 startTime,
            uint256 lastProofTime,
            uint256 proofInterval,
            uint256 proofTimeoutWindow,
            uint8 status,
            uint256 withdrawnByHost,
            uint256 refundedToUser,
            string memory conversationCID,
            bytes32 lastProofHash,
            string memory lastProofCID
        );
}
