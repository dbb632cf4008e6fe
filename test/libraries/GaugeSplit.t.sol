// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {GaugeSplit} from "../../contracts/libraries/GaugeSplit.sol";
import {TetradTest} from "../utils/TetradTest.sol";

/// @notice Fuzz tests of the gauge split (issue 16): the shares never sum above the amount; each share is
/// exactly its floor, plus its gauge part, plus its floor's part of what the gauge left; no gauge part is
/// above the cap; votes take the whole gauge pool when the caps allow it (up to rounding dust), floors
/// place everything (up to rounding dust); a subnet with neither votes nor floor gets nothing.
contract GaugeSplitTest is TetradTest {
    uint256 internal constant MAX_SUBNETS = 32; // a bucket's bound
    uint256 internal constant MAX_AMOUNT = type(uint112).max; // a bucket's `accounted` is a uint112
    uint256 internal constant MAX_VOTES = type(uint112).max; // a tally is a uint112

    /// @dev What every fuzz test draws: an amount, a seed for the floors and votes, a number of subnets
    /// and a cap (see `_case`).
    struct Draw {
        uint256 amount;
        uint256 seed;
        uint256 n;
        uint256 capBps;
    }

    /// @dev One split's inputs, drawn from fuzzed seeds.
    struct Case {
        uint256 amount;
        uint256[] floors;
        uint256[] votes;
        uint256 floorSum;
        uint256 capBps;
    }

    function _rand(uint256 seed, uint256 i, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, i, salt)));
    }

    /// @dev `n` subnets (1..32): floors (none, some or all, summing to at most 10,000; sometimes
    /// exactly 10,000), votes (none, some or all; small values, where rounding shows, or large ones), a
    /// cap in [500, 10,000] (the bucket's bounds) and an amount (small, or up to a uint112).
    function _case(Draw memory d, bool withFloors, bool withVotes) internal pure returns (Case memory c) {
        uint256 seed = d.seed;
        uint256 n = bound(d.n, 1, MAX_SUBNETS);
        c.amount = seed % 3 == 0 ? bound(d.amount, 0, 1_000) : bound(d.amount, 0, MAX_AMOUNT);
        c.capBps = bound(d.capBps, 500, BPS);
        c.floors = new uint256[](n);
        c.votes = new uint256[](n);
        uint256 floorMask = _rand(seed, 0, 1);
        uint256 voteMask = _rand(seed, 0, 2);
        bool smallVotes = (seed >> 8) % 2 == 0;
        uint256 budget = (seed >> 16) % 4 == 0 ? BPS : bound(_rand(seed, 0, 3), 0, BPS);
        for (uint256 i; i < n; ++i) {
            if (withFloors && (floorMask >> i) & 1 == 1 && budget > 0) {
                // The last floored subnet may take the whole rest of the budget.
                uint256 f = (floorMask >> (i + 64)) & 1 == 1 ? budget : bound(_rand(seed, i, 4), 0, budget);
                c.floors[i] = f;
                c.floorSum += f;
                budget -= f;
            }
            if (withVotes && (voteMask >> i) & 1 == 1) {
                c.votes[i] = bound(_rand(seed, i, 5), 0, smallVotes ? 1_000 : MAX_VOTES);
            }
        }
    }

    function _split(Case memory c) internal pure returns (uint256[] memory) {
        return GaugeSplit.split(c.amount, c.floors, c.votes, c.floorSum, c.capBps);
    }

    function _sum(uint256[] memory xs) internal pure returns (uint256 s) {
        for (uint256 i; i < xs.length; ++i) s += xs[i];
    }

    function _cap(Case memory c) internal pure returns (uint256) {
        return (c.amount * c.capBps) / BPS;
    }

    /// @dev The gauge parts alone: the same split with every floor zero and the same floor sum (the
    /// gauge pool depends on the floor sum only; the floors themselves are only read to add their parts).
    function _gaugeParts(Case memory c) internal pure returns (uint256[] memory) {
        uint256[] memory none = new uint256[](c.floors.length);
        return GaugeSplit.split(c.amount, none, c.votes, c.floorSum, c.capBps);
    }

    function _counts(Case memory c) internal pure returns (uint256 voted, uint256 floored) {
        for (uint256 i; i < c.votes.length; ++i) {
            if (c.votes[i] > 0) ++voted;
            if (c.floors[i] > 0) ++floored;
        }
    }

    // ----- the shares never sum above the amount -----

    function testFuzz_SharesSumToAtMostTheAmount(Draw memory d, bool withFloors, bool withVotes) public {
        Case memory c = _case(d, withFloors, withVotes);
        uint256[] memory shares = _split(c);
        assertEq(shares.length, c.floors.length, "one share per subnet");
        assertLte(_sum(shares), c.amount, "shares above the amount");
    }

    // ----- each share: floor + gauge part + its part of the leftover; gauge parts under the cap -----

    function testFuzz_SharesAreFloorPlusGaugePartPlusLeftover(Draw memory d, bool withVotes) public {
        Case memory c = _case(d, true, withVotes);
        uint256[] memory shares = _split(c);
        uint256[] memory gauge = _gaugeParts(c);
        uint256 gaugePool = (c.amount * (BPS - c.floorSum)) / BPS;
        uint256 given = _sum(gauge);
        assertLte(given, gaugePool, "gauge parts above the gauge pool");
        uint256 leftover = gaugePool - given;
        for (uint256 i; i < shares.length; ++i) {
            assertLte(gauge[i], _cap(c), "a gauge part above the cap");
            uint256 expected = gauge[i];
            if (c.floors[i] > 0)
                expected += (c.amount * c.floors[i]) / BPS + (leftover * c.floors[i]) / c.floorSum;
            assertEq(shares[i], expected, "share != gauge part + floor + floor's part of the leftover");
        }
    }

    /// @notice With no floor at all, every share is a gauge part: none above the cap.
    function testFuzz_NoShareAboveTheCapWithoutFloors(Draw memory d) public {
        Case memory c = _case(d, false, true);
        uint256[] memory shares = _split(c);
        for (uint256 i; i < shares.length; ++i) assertLte(shares[i], _cap(c), "a share above the cap");
    }

    /// @notice Water-filling keeps the order of the votes: more votes, at least as large a gauge part.
    function testFuzz_GaugePartsFollowTheVotes(Draw memory d) public {
        Case memory c = _case(d, true, true);
        uint256[] memory gauge = _gaugeParts(c);
        for (uint256 i; i < gauge.length; ++i) {
            for (uint256 j; j < gauge.length; ++j) {
                if (c.votes[i] >= c.votes[j]) assertGte(gauge[i], gauge[j], "more votes, a smaller part");
            }
        }
    }

    // ----- votes take the whole gauge pool when the caps allow it -----

    /// @notice No floors, k >= 1 subnets with votes: the gauge gives min(k * cap, amount) but for less than
    /// k wei of rounding dust (each subnet left under the cap loses less than one wei to rounding; a
    /// capped one none). So if k caps cover the amount (k * capBps >= 10,000) the whole amount is given
    /// but for less than k wei (less than n); otherwise at most k * cap is.
    function testFuzz_VotesTakeTheWholePoolWhenCapsAllow(Draw memory d) public {
        Case memory c = _case(d, false, true);
        (uint256 voted, ) = _counts(c);
        uint256 given = _sum(_split(c));
        if (voted == 0) {
            assertEq(given, 0, "no votes, no floors: something was given");
            return;
        }
        uint256 allCapped = voted * _cap(c);
        uint256 most = allCapped < c.amount ? allCapped : c.amount;
        assertLte(given, most, "more than k caps or the amount");
        assertGt(given + voted, most, "votes left k wei or more of rounding dust");
        if (voted * c.capBps >= BPS) {
            assertLt(c.amount - given, voted, "caps cover the amount, yet k wei or more were left");
            assertLt(c.amount - given, c.floors.length, "dust of n wei or more");
        }
    }

    // ----- floors -----

    function testFuzz_FloorsGetAtLeastTheirFloor(Draw memory d, bool withVotes) public {
        Case memory c = _case(d, true, withVotes);
        uint256[] memory shares = _split(c);
        for (uint256 i; i < shares.length; ++i) {
            assertGte(shares[i], (c.amount * c.floors[i]) / BPS, "a share below its floor");
        }
    }

    /// @notice With m >= 1 floored subnets nothing is carried but rounding: at most 2m - 1 wei (m - 1 from
    /// the floors' own parts plus one from the gauge pool's, m - 1 from spreading the leftover).
    function testFuzz_FloorsPlaceEverythingButDust(Draw memory d, bool withVotes) public {
        Case memory c = _case(d, true, withVotes);
        (, uint256 floored) = _counts(c);
        if (floored == 0) return;
        uint256 given = _sum(_split(c));
        assertLte(c.amount - given, 2 * floored - 1, "floors left more than rounding dust");
    }

    // ----- neither votes nor floor: nothing -----

    function testFuzz_NoVotesNoFloorNothing(Draw memory d, bool withFloors, bool withVotes) public {
        Case memory c = _case(d, withFloors, withVotes);
        uint256[] memory shares = _split(c);
        for (uint256 i; i < shares.length; ++i) {
            if (c.votes[i] == 0 && c.floors[i] == 0) assertEq(shares[i], 0, "no votes, no floor, a share");
        }
    }

    // ----- worked examples -----

    function _list(uint256 a, uint256 b) internal pure returns (uint256[] memory l) {
        l = new uint256[](2);
        (l[0], l[1]) = (a, b);
    }

    function _list(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory l) {
        l = new uint256[](3);
        (l[0], l[1], l[2]) = (a, b, c);
    }

    /// @dev Splits `amount` by `floors` (their sum the floor sum) and `votes` under a 50% cap: the shares
    /// must be `expected`, one by one.
    function _expectSplit(
        uint256 amount,
        uint256[] memory floors,
        uint256[] memory votes,
        uint256[] memory expected
    ) internal {
        assertEq(GaugeSplit.split(amount, floors, votes, _sum(floors), 5_000), expected);
    }

    function test_CapPassesTheExcessOn() public {
        // 75 / 25 pro rata, capped at 50: the excess goes to the other subnet.
        _expectSplit(100, _list(0, 0), _list(3, 1), _list(50, 50));
        // 80 / 10 / 10, capped at 50: the excess splits 1:1.
        _expectSplit(100, _list(0, 0, 0), _list(8, 1, 1), _list(50, 25, 25));
    }

    function test_CapsLeaveTheRestCarriedWithoutFloors() public {
        // One voted subnet, cap 50%: half is given, half carried.
        _expectSplit(1_000, _list(0, 0), _list(5, 0), _list(500, 0));
    }

    function test_LeftoverGoesToTheFloors() public {
        // Floor 20%: 200, gauge pool 800; the one voted subnet is capped at 500; the leftover 300 goes
        // to the floored subnet.
        _expectSplit(1_000, _list(2_000, 0), _list(0, 1), _list(500, 500));
        // No votes: the floors split the whole amount pro rata.
        _expectSplit(1_000, _list(3_000, 1_000, 0), _list(0, 0, 0), _list(750, 250, 0));
    }
}
