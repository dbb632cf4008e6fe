// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IContributionBucket} from "../interfaces/IContributionBucket.sol";

/// @title MockGaugeSubnet
/// @notice Test stand-in for a subnet in a contribution bucket's gauge: it pulls its allocation (and keeps
/// it) and records the bucket's `retire` calls. Never deploy to a real network.
contract MockGaugeSubnet {
    /// @notice The bucket this stand-in pulls from.
    IContributionBucket public immutable bucket;
    /// @notice How many times `retire` was called.
    uint256 public retirements;

    /// @notice `caller` called `retire`.
    event RetireCalled(address indexed caller);

    /// @param bucket_ The bucket this stand-in pulls from.
    constructor(IContributionBucket bucket_) {
        bucket = bucket_;
    }

    /// @notice Records the call (a real subnet starts its wind-down here).
    function retire() external {
        ++retirements;
        emit RetireCalled(msg.sender);
    }

    /// @notice Pulls this stand-in's allocation from the bucket.
    /// @return amount What the bucket sent.
    function pull() external returns (uint256 amount) {
        return bucket.pull();
    }
}
