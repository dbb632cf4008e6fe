// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title TetradTimelock
/// @notice OpenZeppelin's TimelockController, unchanged: it holds the AccessManager's admin role, so
/// every protocol parameter changes only through a proposal that passed and waited out the delay.
contract TetradTimelock is TimelockController {
    /// @param minDelay Seconds between queueing and execution.
    /// @param proposers Who may queue (the Governor).
    /// @param executors Who may execute (`address(0)`: anyone, once due).
    /// @param admin Temporary admin for setup (renounced by the deploy script), or zero.
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}
