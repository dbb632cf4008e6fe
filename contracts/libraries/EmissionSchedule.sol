// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title EmissionSchedule
/// @notice Closed-form emission curve that decreases linearly per interval, like Morpheus'
/// `LinearDistributionIntervalDecrease`, without its loops.
/// @dev Interval `k` (0-based, counted from `start`) emits `initialAmount - k * decrease` tokens, spread
/// linearly over the interval's seconds, until that amount would reach zero. With
/// `n = floor((t - start) / interval)` whole intervals elapsed and `r` seconds into the next one:
///
///     cumulative(t) = n * initialAmount - decrease * n * (n - 1) / 2
///                   + floor((initialAmount - n * decrease) * r / interval)
///
/// `decrease * n * (n - 1) / 2` is exact because `n * (n - 1)` is even. The partial term floors, so
/// `cumulative` is monotone and never ahead of the ideal curve; at every interval boundary it is exact.
/// Every amount is a difference of `cumulative`, so `emitted(a, b) + emitted(b, c) == emitted(a, c)`
/// holds to the wei for any split: no interval can create or lose a token. All functions are O(1).
library EmissionSchedule {
    /// @notice The parameters of one schedule.
    /// @param start Timestamp at which interval 0 begins.
    /// @param interval Length of one interval in seconds (86,400 for a daily schedule).
    /// @param initialAmount Tokens (wei) emitted during interval 0.
    /// @param decrease Tokens (wei) by which each interval emits less than the previous one.
    struct Params {
        uint256 start;
        uint256 interval;
        uint256 initialAmount;
        uint256 decrease;
    }

    /// @notice The parameters cannot describe a finite, non-empty schedule.
    error InvalidScheduleParams();

    /// @notice An interval whose end precedes its beginning.
    error InvalidRange(uint256 from, uint256 to);

    /// @notice Reverts unless `p` describes a finite schedule with a positive first interval.
    /// @dev Bounds keep every intermediate product far below 2^256: amounts below 2^128 wei and at most
    /// 2^64 intervals with emission.
    function validate(Params memory p) internal pure {
        if (
            p.interval == 0 ||
            p.initialAmount == 0 ||
            p.decrease == 0 ||
            p.initialAmount > type(uint128).max ||
            p.decrease > type(uint128).max ||
            p.start > type(uint64).max ||
            p.interval > type(uint64).max ||
            intervalsWithEmission(p) > type(uint64).max
        ) revert InvalidScheduleParams();
    }

    /// @notice Number of intervals that emit a positive amount: `ceil(initialAmount / decrease)`.
    function intervalsWithEmission(Params memory p) internal pure returns (uint256) {
        return (p.initialAmount + p.decrease - 1) / p.decrease;
    }

    /// @notice Timestamp after which nothing more is emitted.
    function end(Params memory p) internal pure returns (uint256) {
        return p.start + intervalsWithEmission(p) * p.interval;
    }

    /// @notice Everything the schedule ever emits (the token's hard cap).
    function total(Params memory p) internal pure returns (uint256) {
        return _wholeIntervals(p, intervalsWithEmission(p));
    }

    /// @notice Tokens emitted from `start` up to timestamp `t`.
    function cumulative(Params memory p, uint256 t) internal pure returns (uint256) {
        if (t <= p.start) return 0;
        uint256 elapsed = t - p.start;
        uint256 n = elapsed / p.interval;
        uint256 last = intervalsWithEmission(p);
        if (n >= last) return _wholeIntervals(p, last);
        uint256 partialAmount = ((p.initialAmount - n * p.decrease) * (elapsed % p.interval)) / p.interval;
        return _wholeIntervals(p, n) + partialAmount;
    }

    /// @notice Tokens emitted in the half-open interval `(from, to]`; reverts if `to < from`.
    function emitted(Params memory p, uint256 from, uint256 to) internal pure returns (uint256) {
        if (to < from) revert InvalidRange(from, to);
        return cumulative(p, to) - cumulative(p, from);
    }

    /// @dev Sum of the first `n` intervals' amounts: `n * R - D * n * (n - 1) / 2`.
    function _wholeIntervals(Params memory p, uint256 n) private pure returns (uint256) {
        if (n == 0) return 0;
        return n * p.initialAmount - (p.decrease * ((n * (n - 1)) / 2));
    }
}
