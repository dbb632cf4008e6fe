// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IContributionBucket} from "../interfaces/IContributionBucket.sol";
import {IEmissionReceiver} from "../interfaces/IEmissionReceiver.sol";
import {ISubnet} from "../interfaces/ISubnet.sol";
import {GaugeSplit} from "../libraries/GaugeSplit.sol";

/// @title ContributionBucket
/// @notice The recipient of one contribution bucket (code, community or compute) and the gauge of its
/// subnets: splits what it receives among its live subnets by governance's floors and holders' votes.
/// @dev Intake is by balance (`balance - accounted`), so emission that arrives without a hook is split at
/// the next call. Rounding remainders, and what neither votes nor floors place, are carried
/// (`unallocated`): nothing is lost. The carried amount goes to the floors only (as soon as there is
/// one), never back through the gauge: re-split there at every call, a capped subnet would take the cap's
/// share of it again and again, and in the end all of it. Votes are tallied per subnet id with the period
/// they were last changed in: a change made in period `e` is in force from `e + 1` (no sniping), and a
/// split reads only the live subnets' tallies, so a retired subnet leaves the totals at once. Every loop
/// is bounded by MAX_SUBNETS (32) or MAX_VOTES (16).
contract ContributionBucket is IContributionBucket, AccessManaged {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice Most live subnets of one bucket; the bound of every split.
    uint256 public constant MAX_SUBNETS = 32;
    /// @notice Most subnets one ballot names.
    uint256 public constant MAX_VOTES = 16;
    /// @notice Length of a gauge period (Curve's and Velodrome's gauge week; one word per thing here, so not
    /// the PoC round's). Fixed: a change would renumber the periods live ballots refer to.
    uint256 public constant PERIOD = 7 days;

    uint256 private constant BPS = 10_000;
    uint256 private constant MIN_LOOKBACK = 1 hours;
    uint256 private constant MAX_LOOKBACK = 30 days;
    uint256 private constant MAX_IMMUNITY = 180 days;
    uint256 private constant MIN_CAP_BPS = 500;
    uint256 private constant ENTRY_BITS = 32; // one ballot entry: id << 16 | bps
    uint256 private constant ENTRIES_PER_WORD = 256 / ENTRY_BITS;

    /// @notice The TTD token (ERC20Votes: gauge power is its delegated votes).
    IERC20 public immutable token;
    /// @notice Start of period 0.
    uint256 public immutable genesis;

    /// @dev What every split reads and writes, in one slot.
    struct Totals {
        uint112 accounted; // tokens this contract owes: every allocation plus `unallocated`
        uint104 unallocated; // carried to the next split
        uint8 count; // live subnets in `_listings`
        uint16 floorSum; // sum of the live subnets' floors
        uint16 capBps; // == _params.capBps, here for the split
    }

    /// @dev Votes for one subnet id: `applied` is in force during `period`, `pending` from `period + 1`.
    struct Tally {
        uint112 applied;
        uint112 pending;
        uint32 period;
    }

    /// @dev A voter's ballot: the power it applied, when that was read, and how many entries it has
    /// (packed `ENTRY_BITS` each in `_ballotEntries`).
    struct Ballot {
        uint96 power;
        uint32 period;
        uint8 count;
    }

    Totals private _totals;
    Listing[MAX_SUBNETS] private _listings;
    GaugeParams private _params;
    uint16 private _lastId;
    /// @dev Bit `id % 256` of word `id / 256`: gauge id `id` is live (a bitmap: adding a subnet mostly
    /// writes a non-zero word, 5,000 gas rather than 22,100).
    mapping(uint256 word => uint256) private _live;
    mapping(uint256 id => Tally) private _tallies;
    /// @dev What each subnet can pull, plus one once it has been allocated anything: a pull leaves the
    /// slot at 1, so the next split writes a non-zero slot (5,000 gas, not 22,100, per subnet per day).
    mapping(address subnet => uint256) private _allocation;
    mapping(address voter => Ballot) private _ballots;
    mapping(address voter => uint256[2]) private _ballotEntries;
    /// @dev Subnets this bucket retired: never listed again (a retired subnet cannot finalize, so it could
    /// neither pull an allocation nor be killed a second time).
    mapping(address subnet => bool) private _retired;

    /// @param authority The AccessManager guarding governance's functions, `addSubnet` and `onEmission`.
    /// @param token_ The TTD token.
    constructor(address authority, IERC20 token_) AccessManaged(authority) {
        token = token_;
        genesis = block.timestamp;
        _setParams(GaugeParams(uint8(MAX_SUBNETS), uint8(MAX_VOTES), 1 days, 14 days, 5_000, 5_000));
    }

    /*//////////////////////////////////////////////////////////////
                                 SPLITTING
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEmissionReceiver
    function onEmission(uint256, uint256) external restricted {
        _allocate();
    }

    /// @inheritdoc IContributionBucket
    function allocate() external {
        _allocate();
    }

    /// @inheritdoc IContributionBucket
    function pull() external returns (uint256 amount) {
        _allocate();
        uint256 stored = _allocation[msg.sender];
        if (stored <= 1) return 0;
        amount = stored - 1;
        _allocation[msg.sender] = 1;
        // Cannot underflow: every allocation is part of `accounted`.
        unchecked {
            _totals.accounted -= uint112(amount);
        }
        emit Pulled(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @dev Splits `balance - accounted` among the live subnets (floors, votes, cap), and the carried
    /// remainder among the floors alone; what is not placed stays carried.
    function _allocate() private {
        Totals memory t = _totals;
        uint256 received = token.balanceOf(address(this)) - t.accounted;
        uint256 carried = t.floorSum > 0 ? t.unallocated : 0; // to the floors only (see the contract's @dev)
        uint256 paid;
        if ((received > 0 || carried > 0) && t.count > 0) {
            (address[] memory subnets, uint256[] memory floors, uint256[] memory shares) = _split(
                t,
                received
            );
            for (uint256 i; i < subnets.length; ++i) {
                uint256 share = shares[i];
                if (carried > 0) share += (carried * floors[i]) / t.floorSum;
                if (share == 0) continue;
                uint256 stored = _allocation[subnets[i]];
                _allocation[subnets[i]] = (stored == 0 ? 1 : stored) + share;
                paid += share;
            }
        }
        if (received == 0 && paid == 0) return;
        t.accounted = (t.accounted + received).toUint112();
        t.unallocated = (t.unallocated + received - paid).toUint104();
        _totals = t;
        emit Allocated(received, t.unallocated);
    }

    /// @dev The live subnets, their floors, and their shares of `amount` now.
    function _split(
        Totals memory t,
        uint256 amount
    ) private view returns (address[] memory subnets, uint256[] memory floors, uint256[] memory shares) {
        uint256 n = t.count;
        uint256 period = currentPeriod();
        subnets = new address[](n);
        floors = new uint256[](n);
        uint256[] memory votes = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            Listing memory listing = _listings[i];
            (subnets[i], floors[i], votes[i]) = (
                listing.subnet,
                listing.floor,
                _inForce(_tallies[listing.id], period)
            );
        }
        shares = GaugeSplit.split(amount, floors, votes, t.floorSum, t.capBps);
    }

    /*//////////////////////////////////////////////////////////////
                                 SUBNETS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IContributionBucket
    function addSubnet(address subnet) external restricted returns (uint256 id) {
        if (subnet == address(0)) revert InvalidFloors();
        _allocate();
        // After the split, which read every listing: this scan costs 100 gas a subnet.
        if (_find(subnet) != type(uint256).max) revert AlreadyListed(subnet);
        if (_totals.count >= _params.maxSubnets) _remove(_weakest(), false);
        id = _add(subnet);
    }

    /// @inheritdoc IContributionBucket
    function kill(address subnet) external restricted {
        uint256 position = _find(subnet);
        if (position == type(uint256).max) revert NotListed(subnet);
        _allocate();
        _remove(position, true);
    }

    /// @inheritdoc IContributionBucket
    function setFloors(address[] calldata subnets, uint16[] calldata floors) external restricted {
        uint256 n = subnets.length;
        if (n != floors.length || n > _params.maxSubnets) revert InvalidFloors();
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            if (subnets[i] == address(0)) revert InvalidFloors();
            for (uint256 j; j < i; ++j) if (subnets[j] == subnets[i]) revert InvalidFloors();
            sum += floors[i];
        }
        if (sum > BPS) revert InvalidFloors();
        _allocate();
        uint256 count = _totals.count;
        for (uint256 i; i < count; ++i) _listings[i].floor = 0;
        for (uint256 i; i < n; ++i) {
            uint256 position = _find(subnets[i]);
            if (position == type(uint256).max) {
                if (_totals.count >= _params.maxSubnets) revert BucketFull();
                // A retired subnet never comes back (it cannot finalize: its allocation would be stuck).
                // `addSubnet` needs no such check: the factory adds only the clone it just created.
                if (_retired[subnets[i]]) revert InvalidFloors();
                _add(subnets[i]);
                position = _totals.count - 1;
            }
            _listings[position].floor = floors[i];
        }
        _totals.floorSum = uint16(sum);
        emit FloorsSet(subnets, floors);
    }

    /// @inheritdoc IContributionBucket
    function setGaugeParams(GaugeParams calldata params) external restricted {
        _allocate();
        _setParams(params);
    }

    function _setParams(GaugeParams memory p) private {
        if (
            p.maxSubnets == 0 ||
            p.maxSubnets > MAX_SUBNETS ||
            p.maxSubnets < _totals.count ||
            p.maxVotes == 0 ||
            p.maxVotes > MAX_VOTES ||
            p.lookback < MIN_LOOKBACK ||
            p.lookback > MAX_LOOKBACK ||
            p.immunity > MAX_IMMUNITY ||
            p.capBps < MIN_CAP_BPS ||
            p.capBps > BPS ||
            p.feeBurnBps > BPS
        ) revert InvalidGaugeParams();
        _params = p;
        _totals.capBps = p.capBps;
        emit GaugeParamsSet(p);
    }

    /// @dev Lists `subnet` last, with a fresh id.
    function _add(address subnet) private returns (uint256 id) {
        if (_lastId == type(uint16).max) revert IdsExhausted();
        id = ++_lastId;
        uint256 position = _totals.count++;
        _listings[position] = Listing(subnet, uint16(id), 0, uint40(block.timestamp));
        _live[id >> 8] |= 1 << (id & 0xff);
        emit SubnetAdded(subnet, id);
    }

    /// @dev Takes the subnet at `position` out of the list (the last one moves in) and retires it.
    function _remove(uint256 position, bool killed) private {
        Listing memory gone = _listings[position];
        uint256 last = --_totals.count;
        if (position != last) _listings[position] = _listings[last];
        delete _listings[last];
        _live[uint256(gone.id) >> 8] &= ~(1 << (gone.id & 0xff));
        _totals.floorSum -= gone.floor;
        _retired[gone.subnet] = true;
        emit SubnetRetired(gone.subnet, gone.id, killed);
        ISubnet(gone.subnet).retire();
    }

    /// @dev The position of the live subnet a full bucket retires: fewest votes in force, no floor, past
    /// immunity (the first of equals). Reverts `BucketFull` if there is none.
    function _weakest() private view returns (uint256 position) {
        uint256 period = currentPeriod();
        uint256 fewest = type(uint256).max;
        position = type(uint256).max;
        uint256 immuneSince = block.timestamp - Math.min(block.timestamp, _params.immunity);
        uint256 n = _totals.count;
        for (uint256 i; i < n; ++i) {
            Listing memory listing = _listings[i];
            if (listing.floor > 0 || listing.addedAt > immuneSince) continue;
            uint256 v = _inForce(_tallies[listing.id], period);
            if (v < fewest) (fewest, position) = (v, i);
        }
        if (position == type(uint256).max) revert BucketFull();
    }

    /// @dev The position of live `subnet`, or `type(uint256).max`.
    function _find(address subnet) private view returns (uint256) {
        uint256 n = _totals.count;
        for (uint256 i; i < n; ++i) if (_listings[i].subnet == subnet) return i;
        return type(uint256).max;
    }

    /*//////////////////////////////////////////////////////////////
                                  GAUGE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IContributionBucket
    function vote(uint256[] calldata ids, uint256[] calldata bps) external {
        uint256 n = ids.length;
        if (n != bps.length || n > _params.maxVotes) revert InvalidVote();
        uint256[2] memory words;
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            uint256 id = ids[i];
            if (bps[i] == 0 || _live[id >> 8] & (1 << (id & 0xff)) == 0) revert InvalidVote();
            for (uint256 j; j < i; ++j) if (ids[j] == id) revert InvalidVote();
            sum += bps[i];
            words[i / ENTRIES_PER_WORD] |= ((id << 16) | bps[i]) << (ENTRY_BITS * (i % ENTRIES_PER_WORD));
        }
        if (sum > BPS) revert InvalidVote();
        uint256 period = currentPeriod();
        uint256 power = _power(msg.sender, period);
        _unapply(msg.sender, period);
        _apply(words, n, power, period, true);
        _ballots[msg.sender] = Ballot(power.toUint96(), uint32(period), uint8(n));
        _ballotEntries[msg.sender][0] = words[0];
        if (n > ENTRIES_PER_WORD) _ballotEntries[msg.sender][1] = words[1];
        emit Voted(msg.sender, period, power, ids, bps);
    }

    /// @inheritdoc IContributionBucket
    function poke(address voter) external {
        Ballot memory b = _ballots[voter];
        uint256 period = currentPeriod();
        uint256 power = _power(voter, period);
        uint256[2] memory words = _ballotEntries[voter];
        _apply(words, b.count, b.power, period, false);
        _apply(words, b.count, power, period, true);
        _ballots[voter] = Ballot(power.toUint96(), uint32(period), b.count);
        (uint256[] memory ids, uint256[] memory weights_) = _entries(words, b.count);
        emit Voted(voter, period, power, ids, weights_);
    }

    /// @dev Takes `voter`'s current ballot out of the tallies (from the next period).
    function _unapply(address voter, uint256 period) private {
        Ballot memory b = _ballots[voter];
        if (b.count == 0) return;
        _apply(_ballotEntries[voter], b.count, b.power, period, false);
    }

    /// @dev Adds (or subtracts) `power * bps / BPS` for each of the `n` entries to the pending tallies.
    /// Subtraction uses the stored power and weights, so it removes exactly what was added.
    function _apply(uint256[2] memory words, uint256 n, uint256 power, uint256 period, bool add) private {
        for (uint256 i; i < n; ++i) {
            uint256 entry =
                (words[i / ENTRIES_PER_WORD] >> (ENTRY_BITS * (i % ENTRIES_PER_WORD))) & 0xffffffff;
            uint256 delta = (power * (entry & 0xffff)) / BPS;
            if (delta == 0) continue;
            Tally memory t = _tallies[entry >> 16];
            if (t.period < period) (t.applied, t.period) = (t.pending, uint32(period));
            t.pending = (add ? t.pending + delta : t.pending - delta).toUint112();
            _tallies[entry >> 16] = t;
        }
    }

    /// @dev Votes `account` casts in `period`: the lesser of its delegated votes just before the period
    /// started and `lookback` earlier, so votes borrowed or bought for the snapshot weigh nothing.
    function _power(address account, uint256 period) private view returns (uint256) {
        uint256 snapshot = periodStart(period) - 1;
        uint256 lookback = _params.lookback;
        if (snapshot < lookback) return 0;
        IVotes votes = IVotes(address(token));
        return
            Math.min(votes.getPastVotes(account, snapshot), votes.getPastVotes(account, snapshot - lookback));
    }

    function _inForce(Tally memory t, uint256 period) private pure returns (uint256) {
        return t.period < period ? t.pending : t.applied;
    }

    function _entries(
        uint256[2] memory words,
        uint256 n
    ) private pure returns (uint256[] memory ids, uint256[] memory bps) {
        ids = new uint256[](n);
        bps = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 entry =
                (words[i / ENTRIES_PER_WORD] >> (ENTRY_BITS * (i % ENTRIES_PER_WORD))) & 0xffffffff;
            (ids[i], bps[i]) = (entry >> 16, entry & 0xffff);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IContributionBucket
    function currentPeriod() public view returns (uint256) {
        return (block.timestamp - genesis) / PERIOD;
    }

    /// @inheritdoc IContributionBucket
    function periodStart(uint256 period) public view returns (uint256) {
        return genesis + period * PERIOD;
    }

    /// @inheritdoc IContributionBucket
    function allocation(address subnet) external view returns (uint256) {
        uint256 stored = _allocation[subnet];
        return stored == 0 ? 0 : stored - 1;
    }

    /// @inheritdoc IContributionBucket
    function weights() external view returns (address[] memory subnets, uint16[] memory bps) {
        Totals memory t = _totals;
        uint256[] memory shares;
        (subnets, , shares) = _split(t, 1e18);
        bps = new uint16[](subnets.length);
        for (uint256 i; i < subnets.length; ++i) bps[i] = uint16((shares[i] * BPS) / 1e18);
    }

    /// @inheritdoc IContributionBucket
    function listings() external view returns (Listing[] memory list) {
        uint256 n = _totals.count;
        list = new Listing[](n);
        for (uint256 i; i < n; ++i) list[i] = _listings[i];
    }

    /// @inheritdoc IContributionBucket
    function votesOf(uint256 id) external view returns (uint256 current, uint256 next) {
        Tally memory t = _tallies[id];
        uint256 period = currentPeriod();
        return (_inForce(t, period), t.pending);
    }

    /// @inheritdoc IContributionBucket
    function ballotOf(
        address voter
    ) external view returns (uint256 power, uint256 period, uint256[] memory ids, uint256[] memory bps) {
        Ballot memory b = _ballots[voter];
        (ids, bps) = _entries(_ballotEntries[voter], b.count);
        return (b.power, b.period, ids, bps);
    }

    /// @inheritdoc IContributionBucket
    function votingPower(address account) external view returns (uint256) {
        return _power(account, currentPeriod());
    }

    /// @inheritdoc IContributionBucket
    function gaugeParams() external view returns (GaugeParams memory) {
        return _params;
    }

    /// @inheritdoc IContributionBucket
    function feeBurnBps() external view returns (uint256) {
        return _params.feeBurnBps;
    }

    /// @inheritdoc IContributionBucket
    function unallocated() external view returns (uint256) {
        return _totals.unallocated;
    }
}
