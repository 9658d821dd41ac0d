// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./Base.sol";

/// @title ProofSystem (devnet)
/// @notice Replay protection for proof hashes, as on the live network: the marketplace
///         marks each proof hash as used, and a hash seen before makes the marketplace
///         revert with "Proof already used". No cryptographic verification happens here
///         (nor on the live network since proofs moved off-chain).
/// @dev Revert reasons: "Not authorized" (markProofUsed from a caller the owner did not
///      authorize), "Invalid caller" (zero address), OwnableUnauthorizedAccount(addr).
contract ProofSystem is Owned {
    mapping(bytes32 => bool) public verifiedProofs;
    mapping(address => bool) public authorizedCallers;

    event ProofVerified(bytes32 indexed proofHash, address indexed prover, uint256 tokens);
    event AuthorizedCallerUpdated(address indexed caller, bool authorized);

    function setAuthorizedCaller(address caller, bool authorized) external onlyOwner {
        require(caller != address(0), "Invalid caller");
        authorizedCallers[caller] = authorized;
        emit AuthorizedCallerUpdated(caller, authorized);
    }

    /// Returns false (instead of reverting) for a hash already used, so the caller
    /// chooses the revert reason.
    function markProofUsed(bytes32 proofHash, address prover, uint256 claimedTokens, bytes32 modelId)
        external
        returns (bool)
    {
        require(authorizedCallers[msg.sender], "Not authorized");
        modelId; // part of the live signature; the devnet keeps no per-model proof data
        if (verifiedProofs[proofHash]) return false;
        verifiedProofs[proofHash] = true;
        emit ProofVerified(proofHash, prover, claimedTokens);
        return true;
    }
}
