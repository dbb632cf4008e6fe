// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {GovernancePath} from "../libraries/GovernancePath.sol";

/// @title TetradTimelock
/// @notice OpenZeppelin's TimelockController: it holds the AccessManager's admin role, so every protocol
/// parameter changes only through a proposal that passed and waited out the delay. One change: the delay
/// is at most `GovernancePath.MAX_TIMELOCK_DELAY`, so a slash proposal can execute before a validator
/// finishes unbonding.
contract TetradTimelock is TimelockController {
    /// @notice A delay above `GovernancePath.MAX_TIMELOCK_DELAY`: a slash proposal could then outlast a
    /// validator's unbonding.
    /// @param delay The delay asked for, in seconds.
    /// @param max `GovernancePath.MAX_TIMELOCK_DELAY`.
    error TimelockDelayTooLong(uint256 delay, uint256 max);

    /// @param minDelay Seconds between queueing and execution, at most `GovernancePath.MAX_TIMELOCK_DELAY`.
    /// @param proposers Who may queue (the Governor).
    /// @param executors Who may execute (`address(0)`: anyone, once due).
    /// @param admin Temporary admin for setup (renounced by the deploy script), or zero.
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {
        _checkDelay(minDelay);
    }

    /// @notice Changes the delay. Only the timelock itself (an operation that waited out the current
    /// delay), as in TimelockController.
    /// @param newDelay Seconds, at most `GovernancePath.MAX_TIMELOCK_DELAY`.
    function updateDelay(uint256 newDelay) public override {
        super.updateDelay(newDelay); // the access rule first: others get TimelockUnauthorizedCaller
        _checkDelay(newDelay);
    }

    /// @dev Reverts if `delay` exceeds `GovernancePath.MAX_TIMELOCK_DELAY`.
    function _checkDelay(uint256 delay) private pure {
        if (delay > GovernancePath.MAX_TIMELOCK_DELAY)
            revert TimelockDelayTooLong(delay, GovernancePath.MAX_TIMELOCK_DELAY);
    }
}
