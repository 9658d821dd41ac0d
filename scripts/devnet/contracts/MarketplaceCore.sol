// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./Base.sol";
import "./Interfaces.sol";

/// @title MarketplaceCore
/// @notice Storage, events, pause switch and settlement of JobMarketplaceWithModels, kept
///         apart so each file stays readable. Settlement follows the live contract: the host
///         gets max(tokensUsed, proofInterval) once a proof exists (tokensUsed with none) times
///         pricePerToken / PRICE_PRECISION minus the treasury fee (feeBasisPoints / 10000, kept
///         in the marketplace), plus the early-cancel fee, credited in HostEarnings; the
///         rest of the deposit goes straight back to the depositor, or is credited to the
///         depositor's withdrawable balance here if sending fails (RefundCreditedToDeposit).
abstract contract MarketplaceCore is Owned, Guarded {
    enum SessionStatus {
        Active,
        Completed,
        TimedOut
    }

    struct ProofSubmission {
        bytes32 proofHash;
        uint256 tokensClaimed;
        uint256 timestamp;
        bool verified; // always true, kept for the live ABI
        string deltaCID;
    }

    /// sessionJobs(jobId) returns these fields, without `proofs`, as the 18 values of
    /// the live ABI.
    struct SessionJob {
        uint256 id;
        address depositor;
        address host;
        address paymentToken;
        uint256 deposit;
        uint256 pricePerToken;
        uint256 tokensUsed;
        uint256 maxDuration;
        uint256 startTime;
        uint256 lastProofTime;
        uint256 proofInterval;
        uint256 proofTimeoutWindow;
        SessionStatus status;
        ProofSubmission[] proofs;
        uint256 withdrawnByHost;
        uint256 refundedToUser;
        string conversationCID;
        bytes32 lastProofHash;
        string lastProofCID;
    }

    uint256 public constant MIN_DEPOSIT = 0.0001 ether;
    uint256 public constant MIN_PROVEN_TOKENS = 100;
    uint256 public constant DEFAULT_PROOF_TIMEOUT = 300;
    uint256 public constant MIN_PROOF_TIMEOUT = 60;
    uint256 public constant MAX_PROOF_TIMEOUT = 3600;
    uint256 public constant USDC_MIN_DEPOSIT = 500_000;
    uint256 public constant USDC_MAX_DEPOSIT = 1_000_000 * 10 ** 6;
    uint256 public constant PRICE_PRECISION = 1000;

    uint256 public disputeWindow;
    uint256 public feeBasisPoints;
    /// Tokens charged when the depositor completes before any proof (0 = none; set by the
    /// owner, at most MAX_MIN_TOKENS_FEE).
    uint256 public minTokensFee;
    uint256 public constant MAX_MIN_TOKENS_FEE = 10000;

    mapping(uint256 => SessionJob) internal sessions;
    mapping(address => uint256[]) public userSessions;
    mapping(address => uint256[]) public hostSessions;
    mapping(uint256 => bytes32) public sessionModel;
    uint256 public nextJobId = 1;

    address public treasuryAddress;
    address public usdcAddress;
    IRegistryForMarket public nodeRegistry;
    IProofsForMarket public proofSystem;
    IEarningsForMarket public hostEarnings;

    mapping(address => bool) public acceptedTokens;
    mapping(address => uint256) public tokenMinDeposits;
    mapping(address => uint256) public tokenMaxDeposits;
    uint256 public accumulatedTreasuryNative;
    mapping(address => uint256) public accumulatedTreasuryTokens;
    mapping(address => uint256) public userDepositsNative;
    mapping(address => mapping(address => uint256)) public userDepositsToken;
    bool public paused;

    event SessionJobCreated(uint256 indexed jobId, address indexed depositor, address indexed host, uint256 deposit);
    event SessionJobCreatedForModel(
        uint256 indexed jobId, address indexed depositor, address indexed host, bytes32 modelId, uint256 deposit
    );
    event ProofSubmitted(
        uint256 indexed jobId, address indexed host, uint256 tokensClaimed, bytes32 proofHash, string proofCID,
        string deltaCID
    );
    event SessionCompleted(uint256 indexed jobId, uint256 totalTokensUsed, uint256 hostEarnings, uint256 userRefund);
    event SessionCompletedBy(
        uint256 indexed jobId, address indexed completedBy, uint256 tokensUsed, uint256 paymentAmount,
        uint256 refundAmount
    );
    event SessionTimedOut(uint256 indexed jobId, uint256 hostEarnings, uint256 userRefund);
    event RefundCreditedToDeposit(
        uint256 indexed jobId, address indexed depositor, uint256 amount, address indexed token
    );
    event WithdrawalProcessed(address indexed depositor, uint256 amount, address indexed token);
    event TreasuryWithdrawal(address indexed token, uint256 amount);
    event Paused(address account);
    event Unpaused(address account);
    event ContractPaused(address indexed by);
    event ContractUnpaused(address indexed by);

    error EnforcedPause();
    error ExpectedPause();

    modifier whenNotPaused() {
        if (paused) revert EnforcedPause();
        _;
    }

    modifier onlyAdmin() {
        require(msg.sender == treasuryAddress || msg.sender == owner, "Not admin");
        _;
    }

    function pause() external onlyAdmin {
        if (paused) revert EnforcedPause();
        paused = true;
        emit Paused(msg.sender);
        emit ContractPaused(msg.sender);
    }

    function unpause() external onlyAdmin {
        if (!paused) revert ExpectedPause();
        paused = false;
        emit Unpaused(msg.sender);
        emit ContractUnpaused(msg.sender);
    }

    /// The live `sessionJobs(uint256)` getter, encoded by hand: its 18 return values are
    /// more than the legacy code generator keeps on the stack, and the IR pipeline, which
    /// could, compiles several times slower. Its ABI entry is taken from SessionJobsAbi
    /// (Interfaces.sol) when the artifacts are built (compile.ts).
    function sessionJobs(uint256 jobId) external view {
        SessionJob storage s = sessions[jobId];
        bytes memory conversation = _abiTail(s.conversationCID);
        uint256 conversationAt = 18 * 32; // the two strings follow the 18-word head
        bytes memory head1 = abi.encode(
            s.id, s.depositor, s.host, s.paymentToken, s.deposit, s.pricePerToken, s.tokensUsed, s.maxDuration,
            s.startTime
        );
        bytes memory head2 = abi.encode(
            s.lastProofTime, s.proofInterval, s.proofTimeoutWindow, uint8(s.status), s.withdrawnByHost,
            s.refundedToUser, conversationAt, s.lastProofHash, conversationAt + conversation.length
        );
        bytes memory out = bytes.concat(head1, head2, conversation, _abiTail(s.lastProofCID));
        assembly ("memory-safe") {
            return(add(out, 32), mload(out))
        }
    }

    /// A string's ABI tail: its length, then its bytes padded to a multiple of 32.
    function _abiTail(string storage text) private pure returns (bytes memory) {
        bytes memory raw = bytes(text);
        return bytes.concat(abi.encode(raw.length), raw, new bytes((32 - (raw.length % 32)) % 32));
    }

    /// Pays proven work and refunds the rest; the caller has already set the final status.
    // The rule of the live `_settleSessionPayments` (fabstir-compute-contracts@faa3621
    /// src/JobMarketplaceWithModelsUpgradeable.sol):
    ///  - billable tokens are max(tokensUsed, proofInterval) once any proof exists;
    ///  - a depositor who completes (not a timeout) before any proof pays the early-cancel
    ///    fee minTokensFee x pricePerToken / 1000, capped at what is left of the deposit;
    ///  - the treasury takes its fee on the billed tokens only, never on the early-cancel fee;
    ///  - SessionCompleted reports the net credited amount, SessionCompletedBy the gross
    ///    payment for billed tokens (without the early-cancel fee).
    function _settle(uint256 jobId, address completedBy) internal {
        SessionJob storage s = sessions[jobId];
        uint256 billable = s.tokensUsed;
        if (billable < s.proofInterval && s.proofs.length > 0) billable = s.proofInterval;
        uint256 hostPayment = (billable * s.pricePerToken) / PRICE_PRECISION;
        uint256 earlyFee;
        if (completedBy == s.depositor && s.status == SessionStatus.Completed && s.proofs.length == 0 && minTokensFee > 0) {
            earlyFee = (minTokensFee * s.pricePerToken) / PRICE_PRECISION;
            if (hostPayment >= s.deposit) earlyFee = 0;
            else if (earlyFee > s.deposit - hostPayment) earlyFee = s.deposit - hostPayment;
        }
        uint256 totalHostAmount = hostPayment + earlyFee;
        uint256 userRefund = s.deposit > totalHostAmount ? s.deposit - totalHostAmount : 0;

        if (totalHostAmount > 0) {
            uint256 treasuryFee = (hostPayment * feeBasisPoints) / 10000;
            uint256 netToHost = totalHostAmount - treasuryFee;
            if (s.paymentToken == address(0)) {
                accumulatedTreasuryNative += treasuryFee;
                (bool sent,) = payable(address(hostEarnings)).call{value: netToHost}("");
                require(sent, "Tx fail");
            } else {
                accumulatedTreasuryTokens[s.paymentToken] += treasuryFee;
                TokenTransfers.push(s.paymentToken, address(hostEarnings), netToHost);
            }
            if (netToHost > 0) hostEarnings.creditEarnings(s.host, netToHost, s.paymentToken);
            s.withdrawnByHost = netToHost;
        }

        if (userRefund > 0) {
            s.refundedToUser = userRefund;
            _refund(jobId, s.depositor, s.paymentToken, userRefund);
        }

        emit SessionCompleted(jobId, s.tokensUsed, s.withdrawnByHost, userRefund);
        emit SessionCompletedBy(jobId, completedBy, s.tokensUsed, hostPayment, userRefund);
    }

    function _refund(uint256 jobId, address depositor, address token, uint256 amount) private {
        bool sent;
        if (token == address(0)) {
            (sent,) = payable(depositor).call{value: amount}("");
            if (!sent) userDepositsNative[depositor] += amount;
        } else {
            sent = TokenTransfers.tryPush(token, depositor, amount);
            if (!sent) userDepositsToken[depositor][token] += amount;
        }
        if (!sent) emit RefundCreditedToDeposit(jobId, depositor, amount, token);
    }
}
