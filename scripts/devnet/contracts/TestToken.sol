// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./Base.sol";

/// @title TestToken
/// @notice Plain ERC-20 for the devnet: FAB (18 decimals) and a USDC stand-in (6 decimals).
///         Only the deployer can mint. Revert reasons follow the wording of the live USDC:
///         "ERC20: transfer amount exceeds balance", "ERC20: transfer amount exceeds allowance",
///         "ERC20: transfer to the zero address", "ERC20: approve to the zero address".
contract TestToken is Owned {
    string public name;
    string public symbol;
    uint8 public decimals;
    uint256 public totalSupply;

    mapping(address => uint256) private balances;
    mapping(address => mapping(address => uint256)) private allowances;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
    }

    function balanceOf(address account) external view returns (uint256) {
        return balances[account];
    }

    // `owner` shadows Owned.owner on purpose: the parameter name matches the standard ABI.
    function allowance(address owner, address spender) external view returns (uint256) {
        return allowances[owner][spender];
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        require(spender != address(0), "ERC20: approve to the zero address");
        allowances[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address recipient, uint256 amount) external returns (bool) {
        _move(msg.sender, recipient, amount);
        return true;
    }

    function transferFrom(address sender, address recipient, uint256 amount) external returns (bool) {
        uint256 allowed = allowances[sender][msg.sender];
        require(allowed >= amount, "ERC20: transfer amount exceeds allowance");
        // An unlimited approval stays unlimited, as in common ERC-20 implementations.
        if (allowed != type(uint256).max) {
            allowances[sender][msg.sender] = allowed - amount;
        }
        _move(sender, recipient, amount);
        return true;
    }

    function mint(address to, uint256 amount) external onlyOwner {
        require(to != address(0), "ERC20: mint to the zero address");
        totalSupply += amount;
        balances[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function _move(address from, address to, uint256 amount) private {
        require(to != address(0), "ERC20: transfer to the zero address");
        require(balances[from] >= amount, "ERC20: transfer amount exceeds balance");
        balances[from] -= amount;
        balances[to] += amount;
        emit Transfer(from, to, amount);
    }
}
