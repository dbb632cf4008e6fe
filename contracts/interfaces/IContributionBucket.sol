// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IEmissionReceiver} from "./IEmissionReceiver.sol";

/// @title IContributionBucket
/// @notice Receives one contribution bucket's emission (code, community or compute) and splits it
/// among that bucket's subnets by governance weights; each subnet pulls its allocation when it pays
/// out a round.
interface IContributionBucket is IEmissionReceiver {
    /// @notice `amount` of new emission was split: `unallocated` is what is carried to the next split
    /// (rounding remainders, or everything while no subnet has weight).
    event Allocated(uint256 amount, uint256 unallocated);

    /// @notice The subnets and their weights (basis points summing to 10,000) were replaced.
    event WeightsUpdated(address[] subnets, uint16[] weights);

    /// @notice `subnet` pulled `amount` of its allocation.
    event Pulled(address indexed subnet, uint256 amount);

    /// @notice Subnets and weights differ in length, exceed `MAX_SUBNETS`, repeat a subnet, name the zero
    /// address, or have weights not summing to 10,000 (an empty list is allowed: nothing is allocated).
    error InvalidWeights();

    /// @notice Splits any tokens received since the last split (permissionless; the emission
    /// controller's hook does it too).
    function allocate() external;

    /// @notice Sends the caller (a subnet) its allocation. Anyone may call; only allocations move.
    /// @return amount What was sent.
    function pull() external returns (uint256 amount);

    /// @notice Replaces the subnets and their weights; splits what arrived under the old weights first.
    /// Governance only.
    function setWeights(address[] calldata subnets, uint16[] calldata weights) external;

    /// @notice What `subnet` can pull now.
    function allocation(address subnet) external view returns (uint256);

    /// @notice The subnets and their weights.
    function weights() external view returns (address[] memory subnets, uint16[] memory bps);

    /// @notice Tokens received but not allocated to any subnet yet.
    function unallocated() external view returns (uint256);
}
