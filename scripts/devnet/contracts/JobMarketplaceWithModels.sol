// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./MarketplaceDeposits.sol";

/// @title JobMarketplaceWithModels (devnet)
/// @notice Sessions between a client and a host for one model, paid in ETH or USDC,
///         proven by the host's checkpoint proofs and settled on completion or timeout.
///         The rules and the (short) revert reasons are those of the live contract.
/// @dev Revert reasons, in the order the checks run:
///   Session creation (createSessionJobForModel / ...WithToken):
///   "Low deposit"     ETH deposit < MIN_DEPOSIT, token deposit < its minimum, or a deposit
///                     too small to pay for one proofInterval of tokens
///   "Bad token"       token not accepted (only the USDC address is)
///   "Bad price"       pricePerToken = 0            "Bad dur"      maxDuration 0 or > 365 days
///   "Bad interval"    proofInterval = 0            "Bad timeout"  proofTimeoutWindow not in 60..3600
///   "No host"         host = 0x0                   "Over max"     deposit above the maximum
///   "No host reg"     host not registered          "Host not active"
///   "Low interval"    proofInterval < MIN_PROVEN_TOKENS (100)
///   "Bad model"       model not approved           "No model"     host does not serve the model
///   "No model pricing"  the host set no price for this (model, token) pair (from the registry)
///   "Low price"       pricePerToken below the host's price for (model, token)
///   "ERC20: transfer amount exceeds allowance" / "...balance"   from the token
///   Proofs (submitProofOfWork):
///   "No proof sys"    no proof system configured   "Not active"   session not active
///   "Not host"        caller is not the session's host
///   "Host not active" the host unregistered        "Min tokens"   tokensClaimed < 100
///   "Low first"       first proof below the session's proofInterval (live `submitProofOfWork`:
///                     "First proof must meet proofInterval for minimum billing",
//                     fabstir-compute-contracts@faa3621 src/JobMarketplaceWithModelsUpgradeable.sol)
///   "Too many"        tokensClaimed > rate limit (2000/s by default) x seconds since the last
///                     proof (or the start); zero elapsed seconds therefore always reverts
///   "Over dep"        tokensUsed + tokensClaimed would cost more than the deposit
///   "Proof already used"  the proof hash was submitted before
///   Settlement:
///   "Not depositor or host"  completeSessionJob from anyone else
///   "Dispute wait"    host completing before lastProofTime + disputeWindow (the depositor may
///                     complete at any time); with no proof yet, lastProofTime = startTime
///   "Not timeout"     triggerSessionTimeout before startTime + maxDuration or
///                     lastProofTime + proofTimeoutWindow has passed
///   "Tx fail"         ETH could not be sent to HostEarnings
///   Sessions from a deposit or by a delegate: see MarketplaceDeposits.sol.
///   Other: "Fee too high" (setMinTokensFee above 10000), "Not admin", "Low balance", "Only treasury", "No balance", EnforcedPause(),
///   ExpectedPause(), OwnableUnauthorizedAccount(addr), ReentrancyGuardReentrantCall()
contract JobMarketplaceWithModels is MarketplaceDeposits {
    /// @param disputeWindow_ seconds the host waits after the last proof before completing
    ///        (30 on the live network; tests use a couple of seconds)
    constructor(
        address nodeRegistry_,
        address hostEarnings_,
        address proofSystem_,
        address usdc_,
        uint256 feeBasisPoints_,
        uint256 disputeWindow_
    ) {
        require(nodeRegistry_ != address(0) && hostEarnings_ != address(0), "Zero addr");
        require(feeBasisPoints_ <= 10000, "Bad fee");
        require(disputeWindow_ > 0 && disputeWindow_ <= 7 days, "Bad window");
        nodeRegistry = IRegistryForMarket(nodeRegistry_);
        hostEarnings = IEarningsForMarket(hostEarnings_);
        proofSystem = IProofsForMarket(proofSystem_);
        feeBasisPoints = feeBasisPoints_;
        disputeWindow = disputeWindow_;
        treasuryAddress = msg.sender;
        usdcAddress = usdc_;
        acceptedTokens[usdc_] = true;
        tokenMinDeposits[usdc_] = USDC_MIN_DEPOSIT;
        tokenMaxDeposits[usdc_] = USDC_MAX_DEPOSIT;
    }

    function createSessionJobForModel(
        address host,
        bytes32 modelId,
        uint256 pricePerToken,
        uint256 maxDuration,
        uint256 proofInterval,
        uint256 proofTimeoutWindow
    ) external payable nonReentrant whenNotPaused returns (uint256 jobId) {
        require(msg.value >= MIN_DEPOSIT, "Low deposit");
        SessionParams memory p = SessionParams(
            host, modelId, address(0), msg.value, pricePerToken, maxDuration, proofInterval, proofTimeoutWindow
        );
        _validate(p);
        jobId = _open(p, msg.sender);
        _emitCreated(jobId, msg.sender, p);
    }

    function createSessionJobForModelWithToken(
        address host,
        bytes32 modelId,
        address token,
        uint256 deposit,
        uint256 pricePerToken,
        uint256 maxDuration,
        uint256 proofInterval,
        uint256 proofTimeoutWindow
    ) external nonReentrant whenNotPaused returns (uint256 jobId) {
        require(acceptedTokens[token], "Bad token");
        require(deposit >= tokenMinDeposits[token], "Low deposit");
        SessionParams memory p =
            SessionParams(host, modelId, token, deposit, pricePerToken, maxDuration, proofInterval, proofTimeoutWindow);
        _validate(p);
        TokenTransfers.pull(token, msg.sender, address(this), deposit);
        jobId = _open(p, msg.sender);
        _emitCreated(jobId, msg.sender, p);
    }

    function submitProofOfWork(
        uint256 jobId,
        uint256 tokensClaimed,
        bytes32 proofHash,
        string calldata proofCID,
        string calldata deltaCID
    ) external nonReentrant whenNotPaused {
        require(address(proofSystem) != address(0), "No proof sys");
        SessionJob storage s = sessions[jobId];
        require(s.status == SessionStatus.Active && s.host != address(0), "Not active");
        require(msg.sender == s.host, "Not host");
        require(nodeRegistry.isActiveNode(s.host), "Host not active");
        require(tokensClaimed >= MIN_PROVEN_TOKENS, "Min tokens");
        if (s.tokensUsed == 0) require(tokensClaimed >= s.proofInterval, "Low first");

        bytes32 modelId = sessionModel[jobId];
        uint256 rate = IModelsForMarket(nodeRegistry.modelRegistry()).getModelRateLimit(modelId);
        require(tokensClaimed <= (block.timestamp - s.lastProofTime) * rate, "Too many");

        uint256 newTotal = s.tokensUsed + tokensClaimed;
        require(newTotal <= (s.deposit * PRICE_PRECISION) / s.pricePerToken, "Over dep");
        require(proofSystem.markProofUsed(proofHash, msg.sender, tokensClaimed, modelId), "Proof already used");

        s.lastProofHash = proofHash;
        s.lastProofCID = proofCID;
        s.proofs.push(ProofSubmission(proofHash, tokensClaimed, block.timestamp, true, deltaCID));
        s.tokensUsed = newTotal;
        s.lastProofTime = block.timestamp;
        emit ProofSubmitted(jobId, msg.sender, tokensClaimed, proofHash, proofCID, deltaCID);
    }

    function completeSessionJob(uint256 jobId, string calldata conversationCID) external nonReentrant {
        SessionJob storage s = sessions[jobId];
        require(s.status == SessionStatus.Active && s.host != address(0), "Not active");
        require(msg.sender == s.depositor || msg.sender == s.host, "Not depositor or host");
        if (msg.sender != s.depositor) {
            require(block.timestamp >= s.lastProofTime + disputeWindow, "Dispute wait");
        }
        s.status = SessionStatus.Completed;
        s.conversationCID = conversationCID;
        _settle(jobId, msg.sender);
    }

    function triggerSessionTimeout(uint256 jobId) external nonReentrant {
        SessionJob storage s = sessions[jobId];
        require(s.status == SessionStatus.Active && s.host != address(0), "Not active");
        uint256 window = s.proofTimeoutWindow > 0 ? s.proofTimeoutWindow : DEFAULT_PROOF_TIMEOUT;
        bool timedOut =
            block.timestamp > s.startTime + s.maxDuration || block.timestamp > s.lastProofTime + window;
        require(timedOut, "Not timeout");
        s.status = SessionStatus.TimedOut;
        _settle(jobId, msg.sender);
        emit SessionTimedOut(jobId, s.withdrawnByHost, s.refundedToUser);
    }

    function getProofSubmission(uint256 sessionId, uint256 proofIndex)
        external
        view
        returns (bytes32 proofHash, uint256 tokensClaimed, uint256 timestamp, bool verified, string memory deltaCID)
    {
        SessionJob storage s = sessions[sessionId];
        require(proofIndex < s.proofs.length, "Bad index");
        ProofSubmission storage p = s.proofs[proofIndex];
        return (p.proofHash, p.tokensClaimed, p.timestamp, p.verified, p.deltaCID);
    }

    function withdrawTreasuryNative() external nonReentrant {
        require(msg.sender == treasuryAddress, "Only treasury");
        uint256 amount = accumulatedTreasuryNative;
        require(amount > 0, "No balance");
        accumulatedTreasuryNative = 0;
        (bool sent,) = payable(msg.sender).call{value: amount}("");
        require(sent, "Tx fail");
        emit TreasuryWithdrawal(address(0), amount);
    }

    function withdrawTreasuryTokens(address token) external nonReentrant {
        require(msg.sender == treasuryAddress, "Only treasury");
        uint256 amount = accumulatedTreasuryTokens[token];
        require(amount > 0, "No tokens");
        accumulatedTreasuryTokens[token] = 0;
        TokenTransfers.push(token, msg.sender, amount);
        emit TreasuryWithdrawal(token, amount);
    }

    function setProofSystem(address _proofSystem) external onlyAdmin {
        require(_proofSystem != address(0), "Zero addr");
        proofSystem = IProofsForMarket(_proofSystem);
    }

    /// Tokens a depositor pays for when completing before any proof (`setMinTokensFee`,
    // capped at MAX_MIN_TOKENS_FEE; fabstir-compute-contracts@faa3621
    /// src/JobMarketplaceWithModelsUpgradeable.sol). The live ABI has no event for it.
    function setMinTokensFee(uint256 _fee) external onlyOwner {
        require(_fee <= MAX_MIN_TOKENS_FEE, "Fee too high");
        minTokensFee = _fee;
    }

    function setTreasury(address _treasury) external onlyOwner {
        require(_treasury != address(0), "Zero addr");
        treasuryAddress = _treasury;
    }
}
