// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title GaugeSplit
/// @notice How a contribution bucket splits an amount among its live subnets: governance's floors first,
/// then holders' gauge votes with a per-subnet cap; what the cap (or an absence of votes) leaves goes to
/// the floors pro rata, and, with no floor at all, is carried.
/// @dev Pure math, bounded by the number of subnets given (a bucket holds at most 32). Rounding is always
/// down, so the shares never sum to more than `amount`; the caller carries the difference.
library GaugeSplit {
    uint256 internal constant BPS = 10_000;

    /// @notice Splits `amount` among `floors.length` subnets.
    /// @param amount What is split.
    /// @param floors Each subnet's floor, basis points of `amount` (their sum `floorSum` at most 10,000).
    /// @param votes Each subnet's gauge votes in force.
    /// @param floorSum Sum of `floors`.
    /// @param capBps Most basis points of `amount` one subnet's gauge part may take.
    /// @return shares Each subnet's share; their sum is at most `amount`.
    function split(
        uint256 amount,
        uint256[] memory floors,
        uint256[] memory votes,
        uint256 floorSum,
        uint256 capBps
    ) internal pure returns (uint256[] memory shares) {
        uint256 n = floors.length;
        shares = new uint256[](n);
        uint256 gaugePool = (amount * (BPS - floorSum)) / BPS;
        uint256 leftover = gaugePool - _fill(shares, votes, gaugePool, (amount * capBps) / BPS);
        if (floorSum == 0) return shares;
        for (uint256 i; i < n; ++i) {
            if (floors[i] == 0) continue;
            shares[i] += (amount * floors[i]) / BPS + (leftover * floors[i]) / floorSum;
        }
    }

    /// @dev Water-filling: `pool` pro rata to `votes`, no share above `cap`; a capped subnet's excess goes
    /// to the others pro rata, again under the cap. Each pass either caps one more subnet or ends, so at
    /// most `n + 1` passes. Returns what was given.
    function _fill(
        uint256[] memory shares,
        uint256[] memory votes,
        uint256 pool,
        uint256 cap
    ) private pure returns (uint256 given) {
        uint256 n = votes.length;
        uint256 remaining = pool;
        uint256 remainingVotes;
        for (uint256 i; i < n; ++i) remainingVotes += votes[i];
        uint256 capped; // bit i: subnet i took the cap
        for (uint256 pass; pass <= n && remainingVotes > 0; ++pass) {
            bool changed;
            for (uint256 i; i < n; ++i) {
                if (capped & (1 << i) != 0 || votes[i] == 0) continue;
                if ((remaining * votes[i]) / remainingVotes <= cap) continue;
                capped |= 1 << i;
                shares[i] = cap;
                given += cap;
                remaining -= cap;
                remainingVotes -= votes[i];
                changed = true;
                if (remainingVotes == 0) break;
            }
            if (!changed) break;
        }
        if (remainingVotes == 0) return given;
        for (uint256 i; i < n; ++i) {
            if (capped & (1 << i) != 0 || votes[i] == 0) continue;
            uint256 share = (remaining * votes[i]) / remainingVotes;
            shares[i] = share;
            given += share;
        }
    }
}
