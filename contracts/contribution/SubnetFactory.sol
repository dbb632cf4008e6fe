// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IContributionBucket} from "../interfaces/IContributionBucket.sol";
import {ISubnet} from "../interfaces/ISubnet.sol";
import {ISubnetFactory} from "../interfaces/ISubnetFactory.sol";

/// @title SubnetFactory
/// @notice The door of the subnet market (see ISubnetFactory): a launch burns a cost that doubles with
/// each launch and decays back linearly, and yields an EIP-1167 clone of one audited implementation.
/// @dev The cost is burned, not locked: a lock refunded at retirement would make squatting a slot cost
/// only the time value of the lock, while a burn makes the doubling a real price, and it offsets
/// emission (net issuance). Clones share the implementation's code, extension and immutables (token,
/// protection fund); their governance functions are the AccessManager's ADMIN role's (the Timelock), the
/// default for a target with no function roles set.
contract SubnetFactory is ISubnetFactory, AccessManaged {
    using SafeCast for uint256;

    uint256 private constant BPS = 10_000;
    uint256 private constant MAX_NAME_BYTES = 32;
    uint256 private constant MAX_DECAY_PERIOD = 365 days;

    /// @inheritdoc ISubnetFactory
    address public immutable implementation;
    /// @notice The TTD token (burned on launch).
    ERC20Burnable public immutable token;

    IContributionBucket private immutable _code;
    IContributionBucket private immutable _community;
    IContributionBucket private immutable _compute;

    LaunchPricing private _pricing;
    LaunchBounds private _bounds;
    /// @dev The last cost paid, and when.
    uint96 private _lastCost;
    uint40 private _lastLaunch;
    uint32 private _launched;

    /// @param authority The AccessManager: governs the settings here, and is every clone's authority.
    /// @param implementation_ The subnet every launch clones (a `Subnet` deployed with a zero bucket).
    /// @param token_ TTD.
    /// @param buckets The code, community and compute buckets.
    constructor(
        address authority,
        address implementation_,
        ERC20Burnable token_,
        IContributionBucket[3] memory buckets
    ) AccessManaged(authority) {
        implementation = implementation_;
        token = token_;
        (_code, _community, _compute) = (buckets[0], buckets[1], buckets[2]);
        _setPricing(LaunchPricing(1_000e18, 1_000_000e18, 14 days));
        _setBounds(LaunchBounds(500, 1e18, 1_000_000e18, 100e18));
    }

    /// @inheritdoc ISubnetFactory
    function launch(
        uint256 bucketIndex,
        string calldata name_,
        string calldata uri,
        ISubnet.Params calldata params,
        uint16[] calldata weights,
        uint256 maxCost
    ) external returns (address subnet) {
        // Checks (the subnet checks its own bounds in `initialize`), and the price moves.
        IContributionBucket bucket = bucketAt(bucketIndex);
        _checkLaunch(name_, params);
        uint256 cost = _chargeLaunch(maxCost);

        // Effects: the clone is set up and joins its bucket.
        subnet = Clones.cloneWithImmutableArgs(implementation, abi.encodePacked(bucket, name_));
        ISubnet(subnet).initialize(authority(), msg.sender, uri, params, weights);
        _list(bucket, subnet, name_, cost);

        // Transfer: the cost is burned from the caller's balance (its allowance to this factory).
        token.burnFrom(msg.sender, cost);
    }

    /// @dev Adds `subnet` to `bucket` and logs the launch.
    function _list(IContributionBucket bucket, address subnet, string calldata name_, uint256 cost) private {
        uint256 id = bucket.addSubnet(subnet);
        emit SubnetLaunched(subnet, address(bucket), msg.sender, id, name_, cost);
    }

    /// @dev Reverts unless the name and the owner's choices are within the launch bounds.
    function _checkLaunch(string calldata name_, ISubnet.Params calldata params) private view {
        uint256 nameLength = bytes(name_).length;
        if (nameLength == 0 || nameLength > MAX_NAME_BYTES) revert InvalidName();
        LaunchBounds memory b = _bounds;
        if (
            uint256(params.contributorShare) + params.validatorShare + b.maxOwnerShareBps < BPS ||
            params.bond < b.minBond ||
            params.bond > b.maxBond ||
            params.minValidatorStake < b.minValidatorStake
        ) revert OutOfBounds();
    }

    /// @dev The cost now (reverts above `maxCost`); the next launch's cost doubles from it.
    function _chargeLaunch(uint256 maxCost) private returns (uint256 cost) {
        cost = launchCost();
        if (cost > maxCost) revert CostAboveMax(cost, maxCost);
        _lastCost = cost.toUint96();
        _lastLaunch = uint40(block.timestamp);
        ++_launched;
    }

    /// @inheritdoc ISubnetFactory
    function setLaunchPricing(LaunchPricing calldata pricing) external restricted {
        _setPricing(pricing);
    }

    /// @inheritdoc ISubnetFactory
    function setLaunchBounds(LaunchBounds calldata bounds) external restricted {
        _setBounds(bounds);
    }

    function _setPricing(LaunchPricing memory p) private {
        if (p.minCost == 0 || p.minCost > p.maxCost || p.decayPeriod == 0 || p.decayPeriod > MAX_DECAY_PERIOD)
            revert InvalidLaunchSettings();
        _pricing = p;
        emit LaunchPricingSet(p);
    }

    function _setBounds(LaunchBounds memory b) private {
        if (b.maxOwnerShareBps > BPS || b.minBond > b.maxBond) revert InvalidLaunchSettings();
        _bounds = b;
        emit LaunchBoundsSet(b);
    }

    /// @inheritdoc ISubnetFactory
    /// @dev Bittensor's lock cost: `2 * last - last * elapsed / decayPeriod`, within `[minCost, maxCost]`;
    /// twice the last cost right after a launch, the last cost one period later, the floor after two.
    function launchCost() public view returns (uint256) {
        LaunchPricing memory p = _pricing;
        uint256 last = _lastCost;
        uint256 decayed = Math.mulDiv(last, block.timestamp - _lastLaunch, p.decayPeriod);
        uint256 cost = decayed >= 2 * last ? 0 : 2 * last - decayed;
        return Math.min(Math.max(cost, p.minCost), p.maxCost);
    }

    /// @inheritdoc ISubnetFactory
    function bucketAt(uint256 index) public view returns (IContributionBucket) {
        if (index == 0) return _code;
        if (index == 1) return _community;
        if (index == 2) return _compute;
        revert UnknownBucket(index);
    }

    /// @inheritdoc ISubnetFactory
    function launched() external view returns (uint256) {
        return _launched;
    }

    /// @inheritdoc ISubnetFactory
    function launchPricing() external view returns (LaunchPricing memory) {
        return _pricing;
    }

    /// @inheritdoc ISubnetFactory
    function launchBounds() external view returns (LaunchBounds memory) {
        return _bounds;
    }
}
