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

    /// @notice The consensus score: the largest `s` among `scores` such that the validators scoring at
    /// least `s` hold at least `kappa` basis points of the total stake. With `kappa = 5,000` this is the
    /// stake-weighted (upper) median: a coalition with less than half the stake can neither lift it
    /// above the highest score of the others nor push it below their lowest.
    /// @dev Sorts a copy of the scores (insertion sort, at most `MAX_VALIDATORS` entries). Returns 0 when
    /// no stake is given.
    function consensus(
        uint256[] memory scores,
        uint256[] memory stakes,
        uint256 kappa
    ) internal pure returns (uint256) {
        uint256 n = scores.length;
        if (n != stakes.length || n > MAX_VALIDATORS) revert InvalidValidatorSet(n, stakes.length);
        if (kappa == 0 || kappa > BPS) revert InvalidKappa(kappa);

        uint256 total;
        uint256[] memory order = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            total += stakes[i];
            // Insertion sort of indices by score, highest first.
            uint256 j = i;
            while (j > 0 && scores[order[j - 1]] < scores[i]) {
                order[j] = order[j - 1];
                --j;
            }
            order[j] = i;
        }
        if (total == 0) return 0;

        // Walk down the scores; all validators with the same score count together.
        uint256 support;
        for (uint256 k; k + 1 < n; ++k) {
            uint256 idx = order[k];
            support += stakes[idx];
            if (scores[order[k + 1]] != scores[idx] && support * BPS >= kappa * total) return scores[idx];
        }
        return scores[order[n - 1]]; // the lowest score has the whole stake's support
    }

    /// @notice A validator's score clipped to the consensus (Yuma's clipping).
    function clip(uint256 score, uint256 consensusScore) internal pure returns (uint256) {
        return score < consensusScore ? score : consensusScore;
    }
}
