// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./Base.sol";

interface IModelApprovals {
    function isModelApproved(bytes32 modelId) external view returns (bool);
}

/// @title NodeRegistryCore
/// @notice Constants, storage, events and bookkeeping of NodeRegistryWithModels, kept apart
///         so each file stays readable. The constants are the live registry's.
abstract contract NodeRegistryCore is Owned, Guarded {
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

    function _checkPrice(address token, uint256 price) internal pure {
        if (token == address(0)) {
            require(price >= MIN_PRICE_PER_TOKEN_NATIVE, "Native price below minimum");
            require(price <= MAX_PRICE_PER_TOKEN_NATIVE, "Native price above maximum");
        } else {
            require(price >= MIN_PRICE_PER_TOKEN_STABLE, "Stable price below minimum");
            require(price <= MAX_PRICE_PER_TOKEN_STABLE, "Stable price above maximum");
        }
    }

    function _checkModels(bytes32[] memory modelIds) internal view {
        require(modelIds.length > 0, "Must support at least one model");
        for (uint256 i = 0; i < modelIds.length; i++) {
            require(modelRegistry.isModelApproved(modelIds[i]), "Model not approved");
        }
    }

    function _supports(address operator, bytes32 modelId) internal view returns (bool) {
        bytes32[] storage models = nodes[operator].supportedModels;
        for (uint256 i = 0; i < models.length; i++) {
            if (models[i] == modelId) return true;
        }
        return false;
    }

    function _addToModels(address operator, bytes32[] memory modelIds) internal {
        for (uint256 i = 0; i < modelIds.length; i++) {
            modelNodeIndex[modelIds[i]][operator] = modelToNodes[modelIds[i]].length;
            modelToNodes[modelIds[i]].push(operator);
        }
    }

    function _removeFromModels(address operator) internal {
        bytes32[] storage models = nodes[operator].supportedModels;
        for (uint256 i = 0; i < models.length; i++) {
            _swapPop(modelToNodes[models[i]], modelNodeIndex[models[i]], operator);
        }
    }

    /// Deletes a node everywhere and returns the stake it held (prices are kept, as live).
    function _remove(address operator) internal returns (uint256 stakeHeld) {
        stakeHeld = nodes[operator].stakedAmount;
        _removeFromModels(operator);
        _swapPop(activeNodesList, activeNodesIndex, operator);
        delete nodes[operator];
    }

    /// Removes `who` from `list` in O(1), tolerating an index that no longer points at it.
    function _swapPop(address[] storage list, mapping(address => uint256) storage index, address who) internal {
        uint256 i = index[who];
        if (i >= list.length || list[i] != who) return;
        address last = list[list.length - 1];
        list[i] = last;
        index[last] = i;
        list.pop();
        delete index[who];
    }
}
