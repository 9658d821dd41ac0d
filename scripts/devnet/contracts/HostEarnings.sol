// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./Base.sol";

/// @title HostEarnings (devnet)
/// @notice Holds hosts' earnings (ETH and ERC-20) credited by the marketplace when a
///         session settles; hosts withdraw them whenever they like. Token 0x0 = ETH.
/// @dev Revert reasons (the live contract's wording):
///   "Not authorized to credit earnings"  creditEarnings from a caller not authorized
///   "Invalid host address"               creditEarnings for the zero address
///   "Amount must be positive"            zero credit or zero withdraw
///   "Insufficient earnings"              withdraw(amount) above the balance
///   "No earnings to withdraw"            withdrawAll with a zero balance
///   "ETH transfer failed"                the host could not receive ETH
///   "Invalid caller address"             setAuthorizedCaller(0x0)
///   OwnableUnauthorizedAccount(addr), ReentrancyGuardReentrantCall()
///   withdrawMultiple skips tokens with nothing to withdraw and never reverts for that.
contract HostEarnings is Owned, Guarded {
    mapping(address => mapping(address => uint256)) private earnings;

    mapping(address => uint256) public totalAccumulated;
    mapping(address => uint256) public totalWithdrawn;
    mapping(address => bool) public authorizedCallers;

    event EarningsCredited(address indexed host, address indexed token, uint256 amount, uint256 newBalance);
    event EarningsWithdrawn(address indexed host, address indexed token, uint256 amount, uint256 remainingBalance);
    event CallerAuthorized(address indexed caller, bool authorized);

    /// The marketplace sends ETH here before crediting it.
    receive() external payable {}

    function setAuthorizedCaller(address caller, bool authorized) external onlyOwner {
        require(caller != address(0), "Invalid caller address");
        authorizedCallers[caller] = authorized;
        emit CallerAuthorized(caller, authorized);
    }

    function creditEarnings(address host, uint256 amount, address token) external nonReentrant {
        require(authorizedCallers[msg.sender], "Not authorized to credit earnings");
        require(host != address(0), "Invalid host address");
        require(amount > 0, "Amount must be positive");
        earnings[host][token] += amount;
        totalAccumulated[token] += amount;
        emit EarningsCredited(host, token, amount, earnings[host][token]);
    }

    function getBalance(address host, address token) external view returns (uint256) {
        return earnings[host][token];
    }

    function getBalances(address host, address[] calldata tokens) external view returns (uint256[] memory balances) {
        balances = new uint256[](tokens.length);
        for (uint256 i = 0; i < tokens.length; i++) {
            balances[i] = earnings[host][tokens[i]];
        }
    }

    function getTokenStats(address token)
        external
        view
        returns (uint256 accumulated, uint256 withdrawn, uint256 outstanding)
    {
        accumulated = totalAccumulated[token];
        withdrawn = totalWithdrawn[token];
        outstanding = accumulated - withdrawn;
    }

    function withdraw(uint256 amount, address token) external nonReentrant {
        require(amount > 0, "Amount must be positive");
        require(earnings[msg.sender][token] >= amount, "Insufficient earnings");
        earnings[msg.sender][token] -= amount;
        totalWithdrawn[token] += amount;
        _pay(token, amount, earnings[msg.sender][token]);
    }

    function withdrawAll(address token) external nonReentrant {
        uint256 amount = earnings[msg.sender][token];
        require(amount > 0, "No earnings to withdraw");
        earnings[msg.sender][token] = 0;
        totalWithdrawn[token] += amount;
        _pay(token, amount, 0);
    }

    function withdrawMultiple(address[] calldata tokens) external nonReentrant {
        for (uint256 i = 0; i < tokens.length; i++) {
            uint256 amount = earnings[msg.sender][tokens[i]];
            if (amount == 0) continue;
            earnings[msg.sender][tokens[i]] = 0;
            totalWithdrawn[tokens[i]] += amount;
            _pay(tokens[i], amount, 0);
        }
    }

    function _pay(address token, uint256 amount, uint256 remainingBalance) private {
        if (token == address(0)) {
            (bool sent,) = payable(msg.sender).call{value: amount}("");
            require(sent, "ETH transfer failed");
        } else {
            TokenTransfers.push(token, msg.sender, amount);
        }
        emit EarningsWithdrawn(msg.sender, token, amount, remainingBalance);
    }
}
