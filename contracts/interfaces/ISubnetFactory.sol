// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IContributionBucket} from "./IContributionBucket.sol";
import {ISubnet} from "./ISubnet.sol";

/// @title ISubnetFactory
/// @notice Anyone launches a subnet here: it burns the launch cost in TTD and gets an EIP-1167 clone of
/// the one subnet implementation, set up with its own settings (within governance's bounds) and added to
/// its contribution bucket. The cost is priced like Bittensor's network lock: each launch doubles it, and
/// it decays linearly back over `decayPeriod`, within `[minCost, maxCost]`.
interface ISubnetFactory {
    /// @notice How the launch cost moves.
    struct LaunchPricing {
        uint96 minCost; // TTD
        uint96 maxCost; // TTD
        uint32 decayPeriod; // seconds over which the doubled cost decays back to the last one paid
    }

    /// @notice Bounds on what a launching owner chooses.
    struct LaunchBounds {
        uint16 maxOwnerShareBps; // owner share (10,000 - contributorShare - validatorShare) at most
        uint96 minBond; // contributor bond, TTD
        uint96 maxBond;
        uint96 minValidatorStake; // the permit floor a subnet sets, at least this
    }

    /// @notice `owner` launched `subnet` in `bucket` (gauge id `id`), burning `cost` TTD.
    event SubnetLaunched(
        address indexed subnet,
        address indexed bucket,
        address indexed owner,
        uint256 id,
        string name,
        uint256 cost
    );

    /// @notice Governance set the launch pricing.
    event LaunchPricingSet(LaunchPricing pricing);

    /// @notice Governance set the launch bounds.
    event LaunchBoundsSet(LaunchBounds bounds);

    /// @notice No such bucket (0: code, 1: community, 2: compute).
    error UnknownBucket(uint256 index);

    /// @notice The cost now, `cost`, is above the caller's `maxCost`.
    error CostAboveMax(uint256 cost, uint256 maxCost);

    /// @notice The settings leave the owner more than `maxOwnerShareBps`, or the bond or validator stake
    /// floor is out of bounds.
    error OutOfBounds();

    /// @notice Pricing or bounds are malformed.
    error InvalidLaunchSettings();

    /// @notice Name empty or longer than 32 bytes.
    error InvalidName();

    /// @notice Launches a subnet owned by the caller in bucket `bucketIndex`: burns `launchCost()` from
    /// the caller (allowance needed), clones the implementation, initializes it and adds it to the bucket
    /// (a full bucket retires its weakest subnet past immunity first).
    /// @param bucketIndex 0 code, 1 community, 2 compute.
    /// @param name_ Subnet name (1 to 32 bytes).
    /// @param uri Metadata URI.
    /// @param params Settings of the first round (Subnet's own bounds, plus the launch bounds).
    /// @param weights Metric weights (at most 8 metrics).
    /// @param maxCost Most the caller accepts to burn (the cost moves with other launches).
    /// @return subnet The new subnet.
    function launch(
        uint256 bucketIndex,
        string calldata name_,
        string calldata uri,
        ISubnet.Params calldata params,
        uint16[] calldata weights,
        uint256 maxCost
    ) external returns (address subnet);

    /// @notice Sets the launch pricing (governance); the cost now stays where it was, within new bounds.
    function setLaunchPricing(LaunchPricing calldata pricing) external;

    /// @notice Sets the launch bounds (governance).
    function setLaunchBounds(LaunchBounds calldata bounds) external;

    /// @notice What a launch burns now.
    function launchCost() external view returns (uint256);

    /// @notice The subnet implementation every launch clones.
    function implementation() external view returns (address);

    /// @notice The bucket at `index` (0 code, 1 community, 2 compute).
    function bucketAt(uint256 index) external view returns (IContributionBucket);

    /// @notice Subnets launched so far.
    function launched() external view returns (uint256);

    /// @notice The launch pricing.
    function launchPricing() external view returns (LaunchPricing memory);

    /// @notice The launch bounds.
    function launchBounds() external view returns (LaunchBounds memory);
}
