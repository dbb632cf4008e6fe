// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EmissionSchedule} from "../../contracts/libraries/EmissionSchedule.sol";
import {TetradTest} from "../utils/TetradTest.sol";

/// @notice Fuzz tests of the schedule's closed form against a plain interval-by-interval sum.
contract EmissionScheduleFuzzTest is TetradTest {
    using EmissionSchedule for EmissionSchedule.Params;

    /// @dev Walks the intervals one by one (the day-by-day loop the closed form replaces).
    function referenceCumulative(
        EmissionSchedule.Params memory p,
        uint256 t
    ) internal pure returns (uint256 sum) {
        if (t <= p.start) return 0;
        uint256 cursor = p.start;
        for (uint256 k; ; ++k) {
            if (k * p.decrease >= p.initialAmount) return sum;
            uint256 amount = p.initialAmount - k * p.decrease;
            if (t < cursor + p.interval) return sum + (amount * (t - cursor)) / p.interval;
            sum += amount;
            cursor += p.interval;
        }
    }

    function boundedParams(
        uint256 start,
        uint256 interval,
        uint256 initialAmount,
        uint256 decrease
    ) internal pure returns (EmissionSchedule.Params memory p) {
        p.start = bound(start, 0, 4_000_000_000);
        p.interval = bound(interval, 1, 400 days);
        p.initialAmount = bound(initialAmount, 1, 1e30);
        // At most ~600 intervals with emission, so the reference loop stays cheap.
        p.decrease = bound(decrease, p.initialAmount / 600 + 1, p.initialAmount + 1e18);
    }

    function testFuzz_ClosedFormMatchesIntervalSum(
        uint256 start,
        uint256 interval,
        uint256 initialAmount,
        uint256 decrease,
        uint256 t
    ) public {
        EmissionSchedule.Params memory p = boundedParams(start, interval, initialAmount, decrease);
        t = bound(t, 0, p.end() + 10 * p.interval);
        assertEq(p.cumulative(t), referenceCumulative(p, t), "closed form != interval sum");
    }

    function testFuzz_TotalIsTheSumOfAllIntervals(
        uint256 start,
        uint256 interval,
        uint256 initialAmount,
        uint256 decrease
    ) public {
        EmissionSchedule.Params memory p = boundedParams(start, interval, initialAmount, decrease);
        assertEq(p.total(), referenceCumulative(p, p.end()), "total != sum of intervals");
        assertEq(p.cumulative(type(uint64).max), p.total(), "cumulative after the end != total");
    }

    function testFuzz_SplittingNeverCreatesOrLosesAWei(
        uint256 interval,
        uint256 initialAmount,
        uint256 decrease,
        uint256 a,
        uint256 b,
        uint256 c
    ) public {
        EmissionSchedule.Params memory p = boundedParams(1_700_000_000, interval, initialAmount, decrease);
        uint256 horizon = p.end() + p.interval;
        a = bound(a, 0, horizon);
        b = bound(b, a, horizon);
        c = bound(c, b, horizon);
        assertEq(p.emitted(a, b) + p.emitted(b, c), p.emitted(a, c), "emitted not additive");
    }

    function testFuzz_CumulativeIsMonotone(
        uint256 interval,
        uint256 initialAmount,
        uint256 decrease,
        uint256 a,
        uint256 b
    ) public {
        EmissionSchedule.Params memory p = boundedParams(1_700_000_000, interval, initialAmount, decrease);
        a = bound(a, 0, p.end() + p.interval);
        b = bound(b, a, p.end() + p.interval);
        assertLte(p.cumulative(a), p.cumulative(b), "cumulative decreased");
    }

    function test_DefaultScheduleReproducesMorpheusTotals() public {
        EmissionSchedule.Params memory p = EmissionSchedule.Params(0, DAY, 14_400 ether, 2.468994701 ether);
        assertEq(p.intervalsWithEmission(), 5833);
        uint256 total = p.total();
        assertLte(total > 42_000_000 ether ? total - 42_000_000 ether : 42_000_000 ether - total, 1 ether);
        uint256 bucket = (total * 2400) / 10_000;
        assertLte(bucket > 10_080_000 ether ? bucket - 10_080_000 ether : 10_080_000 ether - bucket, 1 ether);
        uint256 protection = total - 4 * bucket;
        assertLte(
            protection > 1_680_000 ether ? protection - 1_680_000 ether : 1_680_000 ether - protection,
            1 ether
        );
    }

    /// @dev External, so that `vm.expectRevert` sees the library's revert one call below the test.
    function validateExternal(EmissionSchedule.Params memory p) external pure {
        p.validate();
    }

    /// @dev Accepted parameters keep every product in range: amounts below 2^128 and at most 2^64
    /// intervals with emission; one field out of bounds, at any value, is refused.
    function testFuzz_ValidateRefusesEachUnboundedField(uint256 which, uint256 raw) public {
        EmissionSchedule.Params memory p = EmissionSchedule.Params(0, DAY, 14_400 ether, 2.5 ether);
        this.validateExternal(p);
        which = bound(which, 0, 7);
        if (which == 0) p.interval = 0;
        else if (which == 1) p.initialAmount = 0;
        else if (which == 2) p.decrease = 0;
        else if (which == 3) p.initialAmount = bound(raw, uint256(type(uint128).max) + 1, type(uint192).max);
        else if (which == 4) p.decrease = bound(raw, uint256(type(uint128).max) + 1, type(uint192).max);
        else if (which == 5) p.start = bound(raw, uint256(type(uint64).max) + 1, type(uint256).max);
        else if (which == 6) p.interval = bound(raw, uint256(type(uint64).max) + 1, type(uint256).max);
        else {
            // More than 2^64 intervals with emission: a decrease too small for the amount.
            p.initialAmount = bound(raw, uint256(type(uint64).max) + 2, type(uint128).max);
            p.decrease = 1;
        }
        vm.expectRevert(EmissionSchedule.InvalidScheduleParams.selector);
        this.validateExternal(p);
    }
}
