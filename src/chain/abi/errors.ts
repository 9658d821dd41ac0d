/**
 * Custom errors a transaction of this CLI may revert with, so a revert is shown as "OwnableUnauthorizedAccount(0x…)"
 * or a sentence instead of raw bytes.
 *
 * `LIVE_ERRORS` are declared by the live contracts (OpenZeppelin v5 upgradeable); the compatibility test checks them.
 * `TOKEN_ERRORS` are the ERC-6093 errors an OpenZeppelin v5 token raises (FAB, test tokens); the published ERC-20 ABI
 * lists no errors, so they are kept apart and not compared.
 */
export const LIVE_ERRORS = [
  "error OwnableUnauthorizedAccount(address account)",
  "error OwnableInvalidOwner(address owner)",
  "error ReentrancyGuardReentrantCall()",
  "error SafeERC20FailedOperation(address token)",
  "error FailedCall()",
  "error AddressEmptyCode(address target)",
] as const;

/** Only the marketplace can be paused. */
export const PAUSABLE_ERRORS = ["error EnforcedPause()", "error ExpectedPause()"] as const;

export const TOKEN_ERRORS = [
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC20InvalidSender(address sender)",
  "error ERC20InvalidReceiver(address receiver)",
  "error ERC20InvalidApprover(address approver)",
  "error ERC20InvalidSpender(address spender)",
] as const;
