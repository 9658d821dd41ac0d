/** JobMarketplaceWithModels: sessions, proofs of work, settlement. The session-creating calls are for clients (tests, demo). */
import { LIVE_ERRORS, PAUSABLE_ERRORS } from "./errors.ts";

export const JOB_MARKETPLACE_ABI = [
  "function sessionJobs(uint256 jobId) view returns (uint256 id, address depositor, address host, address paymentToken, uint256 deposit, uint256 pricePerToken, uint256 tokensUsed, uint256 maxDuration, uint256 startTime, uint256 lastProofTime, uint256 proofInterval, uint256 proofTimeoutWindow, uint8 status, uint256 withdrawnByHost, uint256 refundedToUser, string conversationCID, bytes32 lastProofHash, string lastProofCID)",
  "function sessionModel(uint256 jobId) view returns (bytes32)",
  "function nextJobId() view returns (uint256)",
  "function hostSessions(address host, uint256 index) view returns (uint256)",
  "function submitProofOfWork(uint256 jobId, uint256 tokensClaimed, bytes32 proofHash, string proofCID, string deltaCID)",
  "function completeSessionJob(uint256 jobId, string conversationCID)",
  "function triggerSessionTimeout(uint256 jobId)",
  "function disputeWindow() view returns (uint256)",
  "function feeBasisPoints() view returns (uint256)",
  "function MIN_PROVEN_TOKENS() view returns (uint256)",
  "function PRICE_PRECISION() view returns (uint256)",
  "function createSessionJobForModel(address host, bytes32 modelId, uint256 pricePerToken, uint256 maxDuration, uint256 proofInterval, uint256 proofTimeoutWindow) payable returns (uint256 jobId)",
  "function createSessionJobForModelWithToken(address host, bytes32 modelId, address token, uint256 deposit, uint256 pricePerToken, uint256 maxDuration, uint256 proofInterval, uint256 proofTimeoutWindow) returns (uint256 jobId)",
  "function minTokensFee() view returns (uint256)",
  "function depositNative() payable",
  "function depositToken(address token, uint256 amount)",
  "function getDepositBalance(address account, address token) view returns (uint256)",
  "function authorizeDelegate(address delegate, bool authorized)",
  "function isDelegateAuthorized(address depositor, address delegate) view returns (bool)",
  "function createSessionFromDepositForModel(bytes32 modelId, address host, address paymentToken, uint256 deposit, uint256 pricePerToken, uint256 maxDuration, uint256 proofInterval, uint256 proofTimeoutWindow) returns (uint256)",
  "function createSessionForModelAsDelegate(address payer, bytes32 modelId, address host, address paymentToken, uint256 amount, uint256 pricePerToken, uint256 maxDuration, uint256 proofInterval, uint256 proofTimeoutWindow) returns (uint256)",
  "event SessionJobCreated(uint256 indexed jobId, address indexed depositor, address indexed host, uint256 deposit)",
  "event SessionJobCreatedForModel(uint256 indexed jobId, address indexed depositor, address indexed host, bytes32 modelId, uint256 deposit)",
  "event ProofSubmitted(uint256 indexed jobId, address indexed host, uint256 tokensClaimed, bytes32 proofHash, string proofCID, string deltaCID)",
  "event SessionCompleted(uint256 indexed jobId, uint256 totalTokensUsed, uint256 hostEarnings, uint256 userRefund)",
  "event SessionTimedOut(uint256 indexed jobId, uint256 hostEarnings, uint256 userRefund)",
  "event SessionCompletedBy(uint256 indexed jobId, address indexed completedBy, uint256 tokensUsed, uint256 paymentAmount, uint256 refundAmount)",
  // Emitted beside SessionJobCreated(ForModel), whose `depositor` is the payer in both (the sender of a deposit
  // session; the payer, not the delegate, of a delegate's): fabstir-compute-contracts@faa3621
  // src/JobMarketplaceWithModelsUpgradeable.sol, createSessionFromDepositForModel / createSessionForModelAsDelegate.
  "event SessionCreatedByDepositor(uint256 indexed sessionId, address indexed depositor, address indexed host, uint256 deposit)",
  "event SessionCreatedByDelegate(uint256 indexed sessionId, address indexed payer, address indexed delegate, address host, bytes32 modelId, uint256 amount)",
  ...LIVE_ERRORS,
  ...PAUSABLE_ERRORS,
] as const;

/** `sessionJobs(id).status` values. */
export const SessionStatus = { Active: 0, Completed: 1, TimedOut: 2 } as const;
