// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title GovernancePath
/// @notice The longest a governance action can take from proposal to execution, and the shortest
/// unbonding that outlasts it. A slash is a governance action: if a validator could unbond and withdraw
/// before the fastest slash proposal executes, the slash would find nothing to take. Each contract holds
/// its own part of the bound, checked whenever the part changes:
/// - TetradGovernor: `votingDelay + votingPeriod + lateQuorumVoteExtension <= MAX_VOTING_PATH`;
/// - TetradTimelock: `getMinDelay() <= MAX_TIMELOCK_DELAY`;
/// - Subnet: `unbondingDelay >= MIN_UNBONDING_DELAY`, which is longer than both together.
library GovernancePath {
    /// @notice Longest voting delay + voting period + late-quorum extension, in seconds.
    uint256 internal constant MAX_VOTING_PATH = 11 days;
    /// @notice Longest timelock delay, in seconds.
    uint256 internal constant MAX_TIMELOCK_DELAY = 3 days;
    /// @notice Longest path from proposal to execution, in seconds.
    uint256 internal constant MAX_PATH = MAX_VOTING_PATH + MAX_TIMELOCK_DELAY;
    /// @notice Shortest unbonding delay: the whole path plus a day for a proposal to be written once the
    /// misbehaviour is seen, in seconds.
    uint256 internal constant MIN_UNBONDING_DELAY = MAX_PATH + 1 days;
}
