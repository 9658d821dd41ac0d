// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Shared building blocks of the devnet contracts
/// @notice Written for the local devnet only (no external libraries are available
///         offline). The custom errors carry the same names and argument types as the
///         live contracts' (OpenZeppelin v5), so a client that decodes reverts with
///         the live ABIs also decodes ours.

/// Single-owner access control.
abstract contract Owned {
    address public owner;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error OwnableUnauthorizedAccount(address account);
    error OwnableInvalidOwner(address owner);

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert OwnableUnauthorizedAccount(msg.sender);
        _;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert OwnableInvalidOwner(address(0));
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }
}

/// Reentrancy lock kept in transient storage (cleared at the end of every transaction).
abstract contract Guarded {
    bool private transient locked;

    error ReentrancyGuardReentrantCall();

    modifier nonReentrant() {
        if (locked) revert ReentrancyGuardReentrantCall();
        locked = true;
        _;
        locked = false;
    }
}

/// ERC-20 calls that accept tokens returning nothing and bubble up the token's own
/// revert reason, so a client sees "ERC20: transfer amount exceeds allowance" rather
/// than a bare failure.
library TokenTransfers {
    function pull(address token, address from, address to, uint256 amount) internal {
        _call(token, abi.encodeWithSelector(0x23b872dd, from, to, amount)); // transferFrom
    }

    function push(address token, address to, uint256 amount) internal {
        _call(token, abi.encodeWithSelector(0xa9059cbb, to, amount)); // transfer
    }

    /// Tries a transfer and reports failure instead of reverting (refunds fall back
    /// to a credited balance when the depositor cannot receive).
    function tryPush(address token, address to, uint256 amount) internal returns (bool) {
        (bool ok, bytes memory ret) = token.call(abi.encodeWithSelector(0xa9059cbb, to, amount));
        return ok && (ret.length == 0 || abi.decode(ret, (bool)));
    }

    function _call(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        require(ret.length == 0 || abi.decode(ret, (bool)), "Token transfer failed");
    }
}
