// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./NodeRegistryCore.sol";

/// @title NodeRegistryWithModels (devnet)
/// @notice Host registration, stake, models and per-model per-token prices, behaving like
///         the live registry on every path a host touches.
/// @dev Pricing, as live: the only price source is modelTokenPricing[host][modelId][token]
///      (token 0x0 = ETH). getModelPricing does NOT fall back to the registration minimums:
///      it reverts "No model pricing" for an unset pair (0 for an unregistered host), so
///      sessions for an unpriced (model, token) pair revert. getHostModelPrices shows 0.
///   Revert reasons: "Already registered", "Not registered", "Empty metadata", "Empty API URL",
///   "Must support at least one model", "Model not approved", "Native price below minimum",
///   "Native price above maximum", "Stable price below minimum", "Stable price above maximum",
///   "Node not active", "Model not supported" (pricing a model not registered), "No model pricing",
///   "Zero amount" (stake 0); slashing: "Not slashing authority", "Host not registered",
///   "Host not active", "No stake to slash", "Evidence CID required", "Reason required",
///   "Amount exceeds stake", "Exceeds max slash percentage" (over 50%), "Slash cooldown active"
///   (24 h); from FAB: "ERC20: transfer amount exceeds allowance" / "... balance";
///   OwnableUnauthorizedAccount(addr), ReentrancyGuardReentrantCall().
contract NodeRegistryWithModels is NodeRegistryCore {
    /// The deployer is the slashing authority and the treasury for slashed FAB.
    constructor(address fabToken_, address modelRegistry_) {
        fabToken = fabToken_;
        modelRegistry = IModelApprovals(modelRegistry_);
        slashingAuthority = msg.sender;
        treasury = msg.sender;
    }

    function registerNode(
        string memory metadata,
        string memory apiUrl,
        bytes32[] memory modelIds,
        uint256 minPricePerTokenNative,
        uint256 minPricePerTokenStable
    ) external nonReentrant {
        require(nodes[msg.sender].operator == address(0), "Already registered");
        require(bytes(metadata).length > 0, "Empty metadata");
        require(bytes(apiUrl).length > 0, "Empty API URL");
        _checkPrice(address(0), minPricePerTokenNative);
        _checkPrice(address(1), minPricePerTokenStable);
        _checkModels(modelIds);

        TokenTransfers.pull(fabToken, msg.sender, address(this), MIN_STAKE);

        nodes[msg.sender] = Node(
            msg.sender, MIN_STAKE, true, metadata, apiUrl, modelIds, minPricePerTokenNative, minPricePerTokenStable
        );
        activeNodesIndex[msg.sender] = activeNodesList.length;
        activeNodesList.push(msg.sender);
        _addToModels(msg.sender, modelIds);
        emit NodeRegistered(msg.sender, MIN_STAKE, metadata, modelIds);
    }

    function updateSupportedModels(bytes32[] memory newModelIds) external onlyRegistered {
        _checkModels(newModelIds);
        _removeFromModels(msg.sender);
        nodes[msg.sender].supportedModels = newModelIds;
        _addToModels(msg.sender, newModelIds);
        emit ModelsUpdated(msg.sender, newModelIds);
    }

    function updateMetadata(string memory newMetadata) external onlyRegistered {
        require(bytes(newMetadata).length > 0, "Empty metadata");
        nodes[msg.sender].metadata = newMetadata;
        emit MetadataUpdated(msg.sender, newMetadata);
    }

    function updateApiUrl(string memory newApiUrl) external onlyRegistered {
        require(bytes(newApiUrl).length > 0, "Empty API URL");
        nodes[msg.sender].apiUrl = newApiUrl;
        emit ApiUrlUpdated(msg.sender, newApiUrl);
    }

    /// token 0x0 = native (native bounds); any other token uses the stable bounds.
    function setModelTokenPricing(bytes32 modelId, address token, uint256 price) external onlyRegistered {
        require(nodes[msg.sender].active, "Node not active");
        require(_supports(msg.sender, modelId), "Model not supported");
        _checkPrice(token, price);
        modelTokenPricing[msg.sender][modelId][token] = price;
        emit ModelTokenPricingUpdated(msg.sender, modelId, token, price);
    }

    function clearModelTokenPricing(bytes32 modelId, address token) external onlyRegistered {
        delete modelTokenPricing[msg.sender][modelId][token];
        emit ModelTokenPricingUpdated(msg.sender, modelId, token, 0);
    }

    /// Adds FAB to the stake (approve first). Emits nothing, like the live contract.
    function stake(uint256 amount) external onlyRegistered nonReentrant {
        require(amount > 0, "Zero amount");
        TokenTransfers.pull(fabToken, msg.sender, address(this), amount);
        nodes[msg.sender].stakedAmount += amount;
    }

    /// Returns the whole stake; there is no partial unstake.
    function unregisterNode() external onlyRegistered nonReentrant {
        uint256 returned = _remove(msg.sender);
        TokenTransfers.push(fabToken, msg.sender, returned);
        emit NodeUnregistered(msg.sender, returned);
    }

    function slashStake(address host, uint256 amount, string calldata evidenceCID, string calldata reason)
        external
        nonReentrant
    {
        require(msg.sender == slashingAuthority, "Not slashing authority");
        Node storage node = nodes[host];
        require(node.operator != address(0), "Host not registered");
        require(node.active, "Host not active");
        require(node.stakedAmount > 0, "No stake to slash");
        require(bytes(evidenceCID).length > 0, "Evidence CID required");
        require(bytes(reason).length > 0, "Reason required");
        require(amount <= node.stakedAmount, "Amount exceeds stake");
        require(amount <= (node.stakedAmount * MAX_SLASH_PERCENTAGE) / 100, "Exceeds max slash percentage");
        require(
            lastSlashTime[host] == 0 || block.timestamp >= lastSlashTime[host] + SLASH_COOLDOWN, "Slash cooldown active"
        );

        node.stakedAmount -= amount;
        lastSlashTime[host] = block.timestamp;
        TokenTransfers.push(fabToken, treasury, amount);
        emit SlashExecuted(host, amount, node.stakedAmount, evidenceCID, reason, msg.sender, block.timestamp);

        if (node.stakedAmount < MIN_STAKE_AFTER_SLASH) {
            uint256 returned = _remove(host);
            if (returned > 0) TokenTransfers.push(fabToken, host, returned);
            emit HostAutoUnregistered(host, amount, returned, reason);
        }
    }

    function setSlashingAuthority(address newAuthority) external onlyOwner {
        require(newAuthority != address(0), "Invalid authority");
        emit SlashingAuthorityUpdated(slashingAuthority, newAuthority);
        slashingAuthority = newAuthority;
    }

    function setTreasury(address newTreasury) external onlyOwner {
        require(newTreasury != address(0), "Invalid treasury");
        emit TreasuryUpdated(newTreasury);
        treasury = newTreasury;
    }

    // ---- reads ----

    function isActiveNode(address operator) external view returns (bool) {
        return nodes[operator].active;
    }

    function getNodeApiUrl(address operator) external view returns (string memory) {
        return nodes[operator].apiUrl;
    }

    function getNodeModels(address nodeAddress) external view returns (bytes32[] memory) {
        return nodes[nodeAddress].supportedModels;
    }

    function nodeSupportsModel(address nodeAddress, bytes32 modelId) external view returns (bool) {
        return _supports(nodeAddress, modelId);
    }

    function getNodesForModel(bytes32 modelId) external view returns (address[] memory) {
        return modelToNodes[modelId];
    }

    function getAllActiveNodes() external view returns (address[] memory) {
        return activeNodesList;
    }

    function getNodeFullInfo(address operator)
        external
        view
        returns (address, uint256, bool, string memory, string memory, bytes32[] memory, uint256, uint256)
    {
        Node storage n = nodes[operator];
        return (
            n.operator, n.stakedAmount, n.active, n.metadata, n.apiUrl, n.supportedModels,
            n.minPricePerTokenNative, n.minPricePerTokenStable
        );
    }

    function getModelPricing(address operator, bytes32 modelId, address token) external view returns (uint256) {
        if (nodes[operator].operator == address(0)) return 0;
        uint256 price = modelTokenPricing[operator][modelId][token];
        require(price > 0, "No model pricing");
        return price;
    }

    function getHostModelPrices(address operator, address token)
        external
        view
        returns (bytes32[] memory modelIds, uint256[] memory prices)
    {
        modelIds = nodes[operator].supportedModels;
        prices = new uint256[](modelIds.length);
        for (uint256 i = 0; i < modelIds.length; i++) {
            prices[i] = modelTokenPricing[operator][modelIds[i]][token];
        }
    }
}
