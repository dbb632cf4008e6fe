// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Consensus
/// @notice The pure math of proof of contribution: folding a contributor's metric values into one
/// contribution score with governance's weights, and the stake-weighted consensus among validators
/// (Yuma-style: the highest score that at least `kappa` of the stake supports), with clipping.
/// @dev Every loop is bounded by `MAX_METRICS` or `MAX_VALIDATORS`.
library Consensus {
    /// @notice Most metrics a subnet can score.
    uint256 internal constant MAX_METRICS = 8;

    /// @notice Most validators whose scores enter one consensus (validator permits per subnet).
    uint256 internal constant MAX_VALIDATORS = 64;

    /// @notice Basis points in a whole: metric weights sum to it; `kappa` is expressed in it.
    uint256 internal constant BPS = 10_000;

    /// @notice The largest contribution score: every metric at 65,535 with weights summing to 10,000.
    uint256 internal constant MAX_SCORE = 65_535 * BPS;

    /// @notice Metric weights must be 1 to `MAX_METRICS` values summing to exactly 10,000.
    error InvalidMetricWeights(uint256 count, uint256 sum);

    /// @notice A scoresheet row has `got` values where the subnet scores `expected` metrics.
    error MetricCountMismatch(uint256 expected, uint256 got);

    /// @notice More than `MAX_VALIDATORS` scores, or scores and stakes of different lengths.
    error InvalidValidatorSet(uint256 scores, uint256 stakes);

    /// @notice `kappa` must be in (0, 10,000] basis points.
    error InvalidKappa(uint256 kappa);

    /// @notice Reverts unless `weights` is a valid metric weighting.
    function validateWeights(uint16[] memory weights) internal pure {
        uint256 n = weights.length;
        uint256 sum;
        for (uint256 i; i < n && i < MAX_METRICS; ++i) sum += weights[i];
        if (n == 0 || n > MAX_METRICS || sum != BPS) revert InvalidMetricWeights(n, sum);
    }

    /// @notice The contribution score of one contributor: `sum(values[m] * weights[m])`, exact (no
    /// division), from 0 to `MAX_SCORE`. `weights` must have passed `validateWeights`.
    function fold(uint16[] memory values, uint16[] memory weights) internal pure returns (uint256 score) {
        uint256 n = weights.length;
        if (values.length != n) revert MetricCountMismatch(n, values.length);
        for (uint256 m; m < n; ++m) score += uint256(values[m]) * weights[m];
    }

    /// @notice `fold` of one row of a packed scoresheet: the `weights.length` big-endian uint16 values
    /// starting at byte `offset` of `sheet`. The caller keeps `offset + 2 * weights.length` within
    /// `sheet` (the values are read from calldata without a bounds check).
    function foldPacked(
        bytes calldata sheet,
        uint256 offset,
        uint16[] memory weights
    ) internal pure returns (uint256 score) {
        // `fold` over calldata, in assembly: a reveal folds up to 256 rows.
        assembly ("memory-safe") {
            let n := mload(weights)
            let values := add(sheet.offset, offset)
            for {
                let m := 0
            } lt(m, n) {
                m := add(m, 1)
            } {
                let value := shr(240, calldataload(add(values, shl(1, m)))) // big-endian uint16
                score := add(score, mul(value, mload(add(weights, add(0x20, shl(5, m))))))
            }
        }
    }

    /// @notice The consensus score: the largest `s` among `scores` such that the validators scoring at
    /// least `s` hold at least `kappa` basis points of the total stake. With `kappa = 5,000` this is the
    /// stake-weighted (upper) median: a coalition with less than half the stake can neither lift it
    /// above the highest score of the others nor push it below their lowest.
    /// @dev Builds a max-heap of keys `score << 8 | index` (scores must stay below 2^248) and pops
    /// scores from the top, accumulating stake, until the next score differs and the support reaches
    /// the threshold: O(n + p log n) for p pops, with n <= `MAX_VALIDATORS`. Returns 0 without stake.
    function consensus(
        uint256[] memory scores,
        uint256[] memory stakes,
        uint256 kappa
    ) internal pure returns (uint256 result) {
        uint256 n = scores.length;
        if (n != stakes.length || n > MAX_VALIDATORS) revert InvalidValidatorSet(n, stakes.length);
        if (kappa == 0 || kappa > BPS) revert InvalidKappa(kappa);

        uint256 total;
        uint256[] memory heap = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            total += stakes[i];
            heap[i] = (scores[i] << 8) | i;
        }
        if (total == 0) return 0;
        uint256 threshold = kappa * total; // support * BPS >= threshold; support <= total: no overflow
        assembly ("memory-safe") {
            function siftDown(base, size, i) {
                for {} 1 {} {
                    let l := add(shl(1, i), 1)
                    if iszero(lt(l, size)) {
                        break
                    }
                    let largest := i
                    let best := mload(add(base, shl(5, i)))
                    let lv := mload(add(base, shl(5, l)))
                    if gt(lv, best) {
                        largest := l
                        best := lv
                    }
                    let r := add(l, 1)
                    if lt(r, size) {
                        let rv := mload(add(base, shl(5, r)))
                        if gt(rv, best) {
                            largest := r
                            best := rv
                        }
                    }
                    if eq(largest, i) {
                        break
                    }
                    let pi := add(base, shl(5, i))
                    mstore(add(base, shl(5, largest)), mload(pi))
                    mstore(pi, best)
                    i := largest
                }
            }

            let base := add(heap, 0x20)
            let st := add(stakes, 0x20)
            for {
                let i := shr(1, n)
            } i {} {
                i := sub(i, 1)
                siftDown(base, n, i)
            }
            let support := 0
            let size := n
            for {} 1 {} {
                let top := mload(base)
                let score := shr(8, top)
                support := add(support, mload(add(st, shl(5, and(top, 0xff)))))
                size := sub(size, 1)
                if iszero(size) {
                    result := score // the lowest score has the whole stake's support
                    break
                }
                mstore(base, mload(add(base, shl(5, size))))
                siftDown(base, size, 0)
                if and(iszero(eq(shr(8, mload(base)), score)), iszero(lt(mul(support, 10000), threshold))) {
                    result := score
                    break
                }
            }
        }
    }

    /// @notice A validator's score clipped to the consensus (Yuma's clipping).
    function clip(uint256 score, uint256 consensusScore) internal pure returns (uint256) {
        return score < consensusScore ? score : consensusScore;
    }

    /// @notice Adds one contributor to every validator's agreement sums: `mins[v]` gains the clipped
    /// score `clip(scores[v], consensusScore)`, `maxs[v]` the larger of the two. The three arrays have
    /// the same length; the sums must not overflow (at most 256 scores below 2^30 each cannot).
    function accumulate(
        uint256[] memory scores,
        uint256 consensusScore,
        uint256[] memory mins,
        uint256[] memory maxs
    ) internal pure {
        // `clip` for every validator, in assembly: finalization runs this for every contributor.
        assembly ("memory-safe") {
            let n := mload(scores)
            for {
                let v := 0
            } lt(v, n) {
                v := add(v, 1)
            } {
                let off := add(0x20, shl(5, v))
                let s := mload(add(scores, off))
                let lo := s // clip(s, consensusScore)
                let hi := consensusScore
                if gt(s, consensusScore) {
                    lo := consensusScore
                    hi := s
                }
                mstore(add(mins, off), add(mload(add(mins, off)), lo))
                mstore(add(maxs, off), add(mload(add(maxs, off)), hi))
            }
        }
    }

    /// @notice A validator's agreement with the consensus, in basis points: the weighted Jaccard
    /// similarity `sum(min(score, consensus)) / sum(max(score, consensus))` of its sheet, from the
    /// sums built by `accumulate`. `BPS` only for an exact match, and when both sheets are all zero.
    function agreement(uint256 minSum, uint256 maxSum) internal pure returns (uint256) {
        return maxSum == 0 ? BPS : (minSum * BPS) / maxSum;
    }
}
