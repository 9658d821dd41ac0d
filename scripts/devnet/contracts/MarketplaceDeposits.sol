// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./MarketplaceSessions.sol";

/// @title MarketplaceDeposits
/// @notice Pre-deposited balances, delegates, and the two kinds of session they open, as in
//         fabstir-compute-contracts@faa3621 src/JobMarketplaceWithModelsUpgradeable.sol
///         (`depositNative`, `depositToken`, `withdrawNative`, `withdrawToken`,
///         `authorizeDelegate`, `isDelegateAuthorized`, `_deductFromDeposit`,
///         `createSessionFromDepositForModel`, `createSessionForModelAsDelegate`).
///         Delegation is the yes/no kind the live ABI answers to (`isAuthorizedDelegate`
///         mapping, no spending limits).
/// @dev Revert reasons:
///   Deposits: "Zero deposit" (0 amount), "Bad token" (0x0 or not accepted),
///             "Low balance" (withdrawing more than the balance), "ETH failed".
///   Delegates: "Zero addr", "Self deleg".
///   From a deposit: "Bad modelId", "Zero deposit", "Bad token", the checks of
///             MarketplaceSessions._validate, then "Low deposit" (below MIN_DEPOSIT or the
///             token's minimum) and "Low balance" (the deposit balance is short).
///   As a delegate: "No payer", "Not delegate" (sender not authorised by the payer; the
///             payer may call for itself), "Bad modelId", "ERC20 only", "Bad token",
///             "Zero amount", "Below min", then _validate's checks, then the token's
///             allowance/balance errors (the payer's tokens are pulled).
abstract contract MarketplaceDeposits is MarketplaceSessions {
    /// The live (July 2026) ABI's delegate table: isAuthorizedDelegate[depositor][delegate].
    mapping(address => mapping(address => bool)) public isAuthorizedDelegate;

    event DepositReceived(address indexed depositor, uint256 amount, address indexed token);
    event SessionCreatedByDepositor(
        uint256 indexed sessionId, address indexed depositor, address indexed host, uint256 deposit
    );
    event DelegateAuthorized(address indexed depositor, address indexed delegate, bool authorized);
    event SessionCreatedByDelegate(
        uint256 indexed sessionId, address indexed payer, address indexed delegate, address host, bytes32 modelId,
        uint256 amount
    );

    function depositNative() external payable whenNotPaused {
        require(msg.value > 0, "Zero deposit");
        userDepositsNative[msg.sender] += msg.value;
        emit DepositReceived(msg.sender, msg.value, address(0));
    }

    function depositToken(address token, uint256 amount) external whenNotPaused nonReentrant {
        require(amount > 0, "Zero deposit");
        require(token != address(0) && acceptedTokens[token], "Bad token");
        TokenTransfers.pull(token, msg.sender, address(this), amount);
        userDepositsToken[msg.sender][token] += amount;
        emit DepositReceived(msg.sender, amount, token);
    }

    /// Withdraws deposits, and refunds that were credited because sending them failed.
    function withdrawNative(uint256 amount) external nonReentrant {
        require(userDepositsNative[msg.sender] >= amount, "Low balance");
        userDepositsNative[msg.sender] -= amount;
        (bool sent,) = payable(msg.sender).call{value: amount}("");
        require(sent, "ETH failed");
        emit WithdrawalProcessed(msg.sender, amount, address(0));
    }

    function withdrawToken(address token, uint256 amount) external nonReentrant {
        require(userDepositsToken[msg.sender][token] >= amount, "Low balance");
        userDepositsToken[msg.sender][token] -= amount;
        TokenTransfers.push(token, msg.sender, amount);
        emit WithdrawalProcessed(msg.sender, amount, token);
    }

    function getDepositBalance(address account, address token) external view returns (uint256) {
        return token == address(0) ? userDepositsNative[account] : userDepositsToken[account][token];
    }

    function getDepositBalances(address account, address[] calldata tokens) external view returns (uint256[] memory) {
        uint256[] memory balances = new uint256[](tokens.length);
        for (uint256 i = 0; i < tokens.length; i++) {
            balances[i] = tokens[i] == address(0) ? userDepositsNative[account] : userDepositsToken[account][tokens[i]];
        }
        return balances;
    }

    function authorizeDelegate(address delegate, bool authorized) external {
        require(delegate != address(0), "Zero addr");
        require(delegate != msg.sender, "Self deleg");
        isAuthorizedDelegate[msg.sender][delegate] = authorized;
        emit DelegateAuthorized(msg.sender, delegate, authorized);
    }

    function isDelegateAuthorized(address depositor, address delegate) external view returns (bool) {
        return isAuthorizedDelegate[depositor][delegate];
    }

    /// The sender pays from its deposit balance; events: SessionJobCreated,
    /// SessionCreatedByDepositor, SessionJobCreatedForModel (the live order).
    function createSessionFromDepositForModel(
        bytes32 modelId,
        address host,
        address paymentToken,
        uint256 deposit,
        uint256 pricePerToken,
        uint256 maxDuration,
        uint256 proofInterval,
        uint256 proofTimeoutWindow
    ) external nonReentrant whenNotPaused returns (uint256 sessionId) {
        require(modelId != bytes32(0), "Bad modelId");
        require(deposit > 0, "Zero deposit");
        if (paymentToken != address(0)) require(acceptedTokens[paymentToken], "Bad token");
        SessionParams memory p =
            SessionParams(host, modelId, paymentToken, deposit, pricePerToken, maxDuration, proofInterval, proofTimeoutWindow);
        _validate(p);
        _deductFromDeposit(msg.sender, paymentToken, deposit);
        sessionId = _open(p, msg.sender);
        emit SessionJobCreated(sessionId, msg.sender, host, deposit);
        emit SessionCreatedByDepositor(sessionId, msg.sender, host, deposit);
        emit SessionJobCreatedForModel(sessionId, msg.sender, host, modelId, deposit);
    }

    /// A delegate opens a session paid by `payer`, whose tokens (ERC-20 only) are pulled;
    /// the session's depositor, refunds and `userSessions` are the payer's.
    function createSessionForModelAsDelegate(
        address payer,
        bytes32 modelId,
        address host,
        address paymentToken,
        uint256 amount,
        uint256 pricePerToken,
        uint256 maxDuration,
        uint256 proofInterval,
        uint256 proofTimeoutWindow
    ) external nonReentrant whenNotPaused returns (uint256 sessionId) {
        require(payer != address(0), "No payer");
        if (msg.sender != payer) require(isAuthorizedDelegate[payer][msg.sender], "Not delegate");
        require(modelId != bytes32(0), "Bad modelId");
        require(paymentToken != address(0), "ERC20 only");
        require(acceptedTokens[paymentToken], "Bad token");
        require(amount > 0, "Zero amount");
        require(amount >= tokenMinDeposits[paymentToken], "Below min");
        SessionParams memory p =
            SessionParams(host, modelId, paymentToken, amount, pricePerToken, maxDuration, proofInterval, proofTimeoutWindow);
        _validate(p);
        TokenTransfers.pull(paymentToken, payer, address(this), amount);
        sessionId = _open(p, payer);
        _emitCreated(sessionId, payer, p);
        emit SessionCreatedByDelegate(sessionId, payer, msg.sender, host, modelId, amount);
    }

    function _deductFromDeposit(address depositor, address paymentToken, uint256 deposit) private {
        if (paymentToken == address(0)) {
            require(deposit >= MIN_DEPOSIT, "Low deposit");
            require(userDepositsNative[depositor] >= deposit, "Low balance");
            userDepositsNative[depositor] -= deposit;
        } else {
            require(deposit >= tokenMinDeposits[paymentToken], "Low deposit");
            require(userDepositsToken[depositor][paymentToken] >= deposit, "Low balance");
            userDepositsToken[depositor][paymentToken] -= deposit;
        }
    }
}
