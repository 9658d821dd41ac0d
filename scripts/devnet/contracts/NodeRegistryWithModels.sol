// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./Base.sol";

interface IModelApprovals {
    function isModelApproved(bytes32 modelId) external view returns (bool);
}

/// @title NodeRegistryWithModels (devnet)
/// @notice Host registration, stake, models and per-model per-token prices, behaving like
///         the live registry on every path a host touches.
/// @dev Pricing: as on the live network, the only price source is
///      modelTokenPricing[host][modelId][token] (token 0x0 = native ETH).
///      getModelPricing does NOT fall back to the host's registration minimums: it reverts
///      with "No model pricing" when no price is set (and returns 0 for an unregistered
///      host). Sessions for an unpriced (model, token) pair therefore revert.
///      getHostModelPrices returns 0 for unpriced models instead of reverting.
///
///   Revert reasons:
///   "Already registered" / "Not registered"     registering twice / acting unregistered
///   "Empty metadata" / "Empty API URL"          empty strings
///   "Must support at least one model"           empty model list
///   "Model not approved"                        a model the ModelRegistry does not approve
///   "Native price below minimum" / "Native price above maximum"   native bounds
///   "Stable price below minimum" / "Stable price above maximum"   stable bounds
///   "Node not active"                           pricing change on an inactive node
///   "Model not supported"                       pricing a model the host did not register
///   "No model pricing"                          getModelPricing with no price set
///   "Zero amount"                               stake(0)
///   "Not slashing authority"                    slashStake from anyone else
///   "Host not registered" / "Host not active" / "No stake to slash"
///   "Evidence CID required" / "Reason required" / "Amount exceeds stake"
///   "Exceeds max slash percentage"              more than 50% of the stake in one slash
///   "Slash cooldown active"                     a second slash within 24 hours
///   "ERC20: transfer amount exceeds allowance" / "...balance"   from the FAB token
///   OwnableUnauthorizedAccount(addr), ReentrancyGuardReentrantCall()
contract NodeRegistryWithModels is Owned, Guarded {
    address public fabToken;
    IModelApprovals public modelRegistry;

    uint256 public constant MIN_STAKE = 1000 * 10 ** 18;
    uint256 public constant PRICE_PRECISION = 1000;
    uint256 public constant MIN_PRICE_PER_TOKEN_STABLE = 1;
    uint256 public constant MAX_PRICE_PER_TOKEN_STABLE = 100_000_000;
    uint256 public constant MIN_PRICE_PER_TOKEN_NATIVE = 227_273;
    uint256 public constant MAX_PRICE_PER_TOKEN_NATIVE = 22_727_272_727_273_000;
    uint256 public constant MAX_SLASH_PERCENTAGE = 50;
    uint256 public constant MIN_STAKE_AFTER_SLASH = 100 * 10 ** 18;
    uint256 public constant SLASH_COOLDOWN = 24 hours;

    struct Node {
        address operator;
        uint256 stakedAmount;
        bool active;
        string metadata;
        string apiUrl;
        bytes32[] supportedModels;
        uint256 minPricePerTokenNative;
        uint256 minPricePerTokenStable;
    }

    mapping(address => Node) public nodes;
    mapping(address => uint256) public activeNodesIndex;
    address[] public activeNodesList;
    mapping(bytes32 => address[]) public modelToNodes;
    mapping(bytes32 => mapping(address => uint256)) private modelNodeIndex;
    mapping(address => mapping(bytes32 => mapping(address => uint256))) public modelTokenPricing;

    address public slashingAuthority;
    address public treasury;
    mapping(address => uint256) public lastSlashTime;

    event NodeRegistered(address indexed operator, uint256 stakedAmount, string metadata, bytes32[] models);
    event NodeUnregistered(address indexed operator, uint256 returnedAmount);
    event MetadataUpdated(address indexed operator, string newMetadata);
    event ApiUrlUpdated(address indexed operator, string newApiUrl);
    event ModelsUpdated(address indexed operator, bytes32[] newModels);
    event ModelTokenPricingUpdated(address indexed operator, bytes32 indexed modelId, address indexed token, uint256 price);
    event SlashExecuted(
        address indexed host, uint256 amount, uint256 remainingStake, string evidenceCID, string reason,
        address indexed executor, uint256 timestamp
    );
    event HostAutoUnregistered(address indexed host, uint256 slashedAmount, uint256 returnedAmount, string reason);
    event SlashingAuthorityUpdated(address indexed previousAuthority, address indexed newAuthority);
    event TreasuryUpdated(address indexed newTreasury);

    modifier onlyRegistered() {
        require(nodes[msg.sender].operator != address(0), "Not registered");
        _;
    }

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

    // ---- internals ----

    function _checkPrice(address token, uint256 price) private pure {
        if (token == address(0)) {
            require(price >= MIN_PRICE_PER_TOKEN_NATIVE, "Native price below minimum");
            require(price <= MAX_PRICE_PER_TOKEN_NATIVE, "Native price above maximum");
        } else {
            require(price >= MIN_PRICE_PER_TOKEN_STABLE, "Stable price below minimum");
            require(price <= MAX_PRICE_PER_TOKEN_STABLE, "Stable price above maximum");
        }
    }

    function _checkModels(bytes32[] memory modelIds) private view {
        require(modelIds.length > 0, "Must support at least one model");
        for (uint256 i = 0; i < modelIds.length; i++) {
            require(modelRegistry.isModelApproved(modelIds[i]), "Model not approved");
        }
    }

    function _supports(address operator, bytes32 modelId) private view returns (bool) {
        bytes32[] storage models = nodes[operator].supportedModels;
        for (uint256 i = 0; i < models.length; i++) {
            if (models[i] == modelId) return true;
        }
        return false;
    }

    function _addToModels(address operator, bytes32[] memory modelIds) private {
        for (uint256 i = 0; i < modelIds.length; i++) {
            modelNodeIndex[modelIds[i]][operator] = modelToNodes[modelIds[i]].length;
            modelToNodes[modelIds[i]].push(operator);
        }
    }

    function _removeFromModels(address operator) private {
        bytes32[] storage models = nodes[operator].supportedModels;
        for (uint256 i = 0; i < models.length; i++) {
            _swapPop(modelToNodes[models[i]], modelNodeIndex[models[i]], operator);
        }
    }

    /// Deletes a node everywhere and returns the stake it held (prices are kept, as live).
    function _remove(address operator) private returns (uint256 stakeHeld) {
        stakeHeld = nodes[operator].stakedAmount;
        _removeFromModels(operator);
        _swapPop(activeNodesList, activeNodesIndex, operator);
        delete nodes[operator];
    }

    /// Removes `who` from `list` in O(1), tolerating an index that no longer points at it.
    function _swapPop(address[] storage list, mapping(address => uint256) storage index, address who) private {
        uint256 i = index[who];
        if (i >= list.length || list[i] != who) return;
        address last = list[list.length - 1];
        list[i] = last;
        index[last] = i;
        list.pop();
        delete index[who];
    }
}
