// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IEmissionReceiver} from "./IEmissionReceiver.sol";

/// @title IContributionBucket
/// @notice Receives one contribution bucket's emission (code, community or compute) and splits it among
/// that bucket's live subnets: governance's floor shares first, then TTD holders' gauge votes (Curve's
/// GaugeController, Velodrome's Voter), each subnet capped. Each subnet pulls its allocation when it pays
/// out a round. Subnets join through the `SubnetFactory` (or governance); a full bucket retires its
/// lowest-voted subnet past immunity to make room.
interface IContributionBucket is IEmissionReceiver {
    /// @notice A live subnet of the bucket.
    struct Listing {
        address subnet;
        uint16 id; // stable id, used by gauge votes (never reused)
        uint16 floor; // basis points of the bucket governance guarantees it
        uint40 addedAt; // immunity runs from here
    }

    /// @notice Settings of the gauge and of the subnet slots, set by governance.
    struct GaugeParams {
        uint8 maxSubnets; // live subnets at most (<= MAX_SUBNETS)
        uint8 maxVotes; // subnets one ballot may name (<= MAX_VOTES)
        uint32 lookback; // seconds: voting power is the lesser of the votes at the snapshot and this long before
        uint32 immunity; // seconds after joining during which a subnet cannot be retired by a launch
        uint16 capBps; // most of the bucket one subnet's gauge part may take
        uint16 feeBurnBps; // share of a subnet's service fees that is burned
    }

    /// @notice `amount` of new emission was split: `unallocated` is what is carried to the next split
    /// (rounding remainders, and what neither votes nor floors could place).
    event Allocated(uint256 amount, uint256 unallocated);

    /// @notice `subnet` pulled `amount` of its allocation.
    event Pulled(address indexed subnet, uint256 amount);

    /// @notice `subnet` joined the bucket with gauge id `id`.
    event SubnetAdded(address indexed subnet, uint256 indexed id);

    /// @notice `subnet` left the bucket and winds down (`killed`: by governance; else a launch replaced it).
    event SubnetRetired(address indexed subnet, uint256 indexed id, bool killed);

    /// @notice Governance set the floors: every live subnet not listed has floor 0.
    event FloorsSet(address[] subnets, uint16[] floors);

    /// @notice Governance set the gauge settings.
    event GaugeParamsSet(GaugeParams params);

    /// @notice `voter`'s ballot, with `power` read at the start of `period`, applies from period `period + 1`.
    event Voted(address indexed voter, uint256 indexed period, uint256 power, uint256[] ids, uint256[] bps);

    /// @notice Floors or subnets are malformed: lengths differ, too many, a zero or repeated address, a
    /// subnet this bucket retired, or floors summing to more than 10,000.
    error InvalidFloors();

    /// @notice A ballot is malformed: lengths differ, more than `maxVotes` subnets, a repeated or retired
    /// id, a zero weight, or weights summing to more than 10,000.
    error InvalidVote();

    /// @notice Gauge settings out of their bounds, or fewer subnet slots than live subnets (kill first).
    error InvalidGaugeParams();

    /// @notice The bucket is full and no subnet is past its immunity without a floor.
    error BucketFull();

    /// @notice `subnet` is already live in the bucket.
    error AlreadyListed(address subnet);

    /// @notice `subnet` is not live in the bucket.
    error NotListed(address subnet);

    /// @notice Gauge ids are spent (65,535 subnets have joined this bucket).
    error IdsExhausted();

    /// @notice Splits any tokens received since the last split (permissionless; the emission
    /// controller's hook does it too).
    function allocate() external;

    /// @notice Sends the caller (a subnet) its allocation. Anyone may call; only allocations move.
    /// @return amount What was sent.
    function pull() external returns (uint256 amount);

    /// @notice Adds a launched subnet (the factory only). When the bucket is full, retires first the live
    /// subnet with the fewest votes in force among those without a floor and past immunity (reverts
    /// `BucketFull` if none). Splits what arrived under the old list first.
    /// @return id The subnet's gauge id.
    function addSubnet(address subnet) external returns (uint256 id);

    /// @notice Retires a live subnet at once (governance): it leaves the split, then winds down.
    function kill(address subnet) external;

    /// @notice Sets governance's floor shares (launch subnets): adds listed subnets not yet live, zeroes
    /// the floor of every live subnet not listed. Splits what arrived under the old floors first.
    /// @param subnets Subnets (at most `maxSubnets`).
    /// @param floors Basis points of the bucket each is guaranteed; sum at most 10,000. With no gauge vote,
    /// the floors take the whole bucket pro rata.
    function setFloors(address[] calldata subnets, uint16[] calldata floors) external;

    /// @notice Sets the gauge settings (governance); splits what arrived under the old cap first.
    function setGaugeParams(GaugeParams calldata params) external;

    /// @notice Replaces the caller's ballot: `bps[i]` of its voting power (read at the start of the
    /// current period, the lesser of the votes then and `lookback` earlier) goes to subnet `ids[i]` from
    /// the next period on, and stays until the ballot changes or is poked. An empty ballot withdraws.
    function vote(uint256[] calldata ids, uint256[] calldata bps) external;

    /// @notice Re-reads `voter`'s power at the current period's start and re-applies its ballot (from the
    /// next period): anyone may poke, so a wallet emptied since its vote stops counting.
    function poke(address voter) external;

    /// @notice What `subnet` can pull now.
    function allocation(address subnet) external view returns (uint256);

    /// @notice The live subnets and the share of the bucket each would get now, in basis points
    /// (floors, votes in force and caps; rounding and carried remainders aside).
    function weights() external view returns (address[] memory subnets, uint16[] memory bps);

    /// @notice The live subnets with their ids, floors and joining times.
    function listings() external view returns (Listing[] memory);

    /// @notice Votes in force for gauge id `id` during the current period, and from the next period on.
    function votesOf(uint256 id) external view returns (uint256 current, uint256 next);

    /// @notice `voter`'s ballot: the power it applies and the period it was read at, and its subnets' ids
    /// and weights.
    function ballotOf(
        address voter
    ) external view returns (uint256 power, uint256 period, uint256[] memory ids, uint256[] memory bps);

    /// @notice Voting power `account` would vote with in the current period.
    function votingPower(address account) external view returns (uint256);

    /// @notice The current period (7 days each, from the bucket's deployment).
    function currentPeriod() external view returns (uint256);

    /// @notice When period `period` starts.
    function periodStart(uint256 period) external view returns (uint256);

    /// @notice The gauge settings.
    function gaugeParams() external view returns (GaugeParams memory);

    /// @notice Share of subnets' service fees that is burned (basis points).
    function feeBurnBps() external view returns (uint256);

    /// @notice Tokens received but not allocated to any subnet yet.
    function unallocated() external view returns (uint256);
}
