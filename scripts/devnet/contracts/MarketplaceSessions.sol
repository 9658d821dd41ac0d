// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./MarketplaceCore.sol";

/// @title MarketplaceSessions
/// @notice The checks every way of opening a session shares, and the opening itself. The
///         payer (the session's `depositor`) is passed in: it is the sender for a direct
///         session or one from a deposit, and the payer, not the sender, for a delegate's
//         (fabstir-compute-contracts@faa3621 src/JobMarketplaceWithModelsUpgradeable.sol,
///         `_initializeSession`: "msg.sender for direct, payer for delegate").
abstract contract MarketplaceSessions is MarketplaceCore {
    struct SessionParams {
        address host;
        bytes32 modelId;
        address paymentToken;
        uint256 deposit;
        uint256 pricePerToken;
        uint256 maxDuration;
        uint256 proofInterval;
        uint256 proofTimeoutWindow;
    }

    /// `_validateSessionParams`, `_validateHostRegistration`, `_validateProofRequirements`
    /// and the model checks of each create function, in the live order.
    function _validate(SessionParams memory p) internal view {
        require(p.pricePerToken > 0, "Bad price");
        require(p.maxDuration > 0 && p.maxDuration <= 365 days, "Bad dur");
        require(p.proofInterval > 0, "Bad interval");
        require(p.proofTimeoutWindow >= MIN_PROOF_TIMEOUT && p.proofTimeoutWindow <= MAX_PROOF_TIMEOUT, "Bad timeout");
        require(p.host != address(0), "No host");
        uint256 maxDeposit = p.paymentToken == address(0) ? 1000 ether : tokenMaxDeposits[p.paymentToken];
        require(p.deposit <= maxDeposit, "Over max");

        (address operator, , bool active, , , , ) = nodeRegistry.nodes(p.host);
        require(operator != address(0), "No host reg");
        require(active, "Host not active");

        require(p.proofInterval >= MIN_PROVEN_TOKENS, "Low interval");
        require((p.deposit * PRICE_PRECISION) / p.pricePerToken >= p.proofInterval, "Low deposit");

        require(IModelsForMarket(nodeRegistry.modelRegistry()).isModelApproved(p.modelId), "Bad model");
        require(nodeRegistry.nodeSupportsModel(p.host, p.modelId), "No model");
        uint256 hostPrice = nodeRegistry.getModelPricing(p.host, p.modelId, p.paymentToken);
        require(p.pricePerToken >= hostPrice, "Low price");
    }

    /// Stores the session; each create function emits its events itself, in the live order.
    function _open(SessionParams memory p, address depositor) internal returns (uint256 jobId) {
        jobId = nextJobId++;
        sessionModel[jobId] = p.modelId;
        SessionJob storage s = sessions[jobId];
        s.id = jobId;
        s.depositor = depositor;
        s.host = p.host;
        s.paymentToken = p.paymentToken;
        s.deposit = p.deposit;
        s.pricePerToken = p.pricePerToken;
        s.maxDuration = p.maxDuration;
        s.startTime = block.timestamp;
        s.lastProofTime = block.timestamp;
        s.proofInterval = p.proofInterval;
        s.proofTimeoutWindow = p.proofTimeoutWindow;
        userSessions[depositor].push(jobId);
        hostSessions[p.host].push(jobId);
    }

    /// The two events every kind of session emits, naming the payer as `depositor`.
    function _emitCreated(uint256 jobId, address depositor, SessionParams memory p) internal {
        emit SessionJobCreated(jobId, depositor, p.host, p.deposit);
        emit SessionJobCreatedForModel(jobId, depositor, p.host, p.modelId, p.deposit);
    }
}
