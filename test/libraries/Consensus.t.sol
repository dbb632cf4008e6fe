// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Consensus} from "../../contracts/libraries/Consensus.sol";
import {TetradTest} from "../utils/TetradTest.sol";

/// @notice Fuzz tests of the Consensus library against plain reference implementations: metric folding
/// against a sum of products; the heap-based stake-weighted consensus against the definition (try every
/// candidate score, keep the largest whose supporters hold at least kappa of the stake); clipping.
contract ConsensusFuzzTest is TetradTest {
    /// @dev Exposes the library through an external call so reverts can be caught.
    ConsensusExposer internal lib = new ConsensusExposer();

    // ------------------------------------------------------------------ references

    function referenceFold(uint16[] memory values, uint16[] memory weights) internal pure returns (uint256 s) {
        for (uint256 m; m < weights.length; ++m) s += uint256(values[m]) * uint256(weights[m]);
    }

    /// @dev The definition: the largest candidate `s` (a submitted score) such that the stake of the
    /// validators scoring at least `s` is at least `kappa / 10,000` of the total; 0 without stake.
    function referenceConsensus(
        uint256[] memory scores,
        uint256[] memory stakes,
        uint256 kappa
    ) internal pure returns (uint256 best) {
        uint256 total;
        for (uint256 i; i < stakes.length; ++i) total += stakes[i];
        if (total == 0) return 0;
        for (uint256 c; c < scores.length; ++c) {
            uint256 support;
            for (uint256 i; i < scores.length; ++i) if (scores[i] >= scores[c]) support += stakes[i];
            if (support * 10_000 >= kappa * total && scores[c] > best) best = scores[c];
        }
    }

    // ------------------------------------------------------------------ inputs

    function weightsFrom(uint256 seed, uint256 n) internal pure returns (uint16[] memory w) {
        w = new uint16[](n);
        uint256 left = 10_000;
        for (uint256 m; m + 1 < n; ++m) {
            uint256 x = uint256(keccak256(abi.encode(seed, "w", m))) % (left + 1);
            w[m] = uint16(x);
            left -= x;
        }
        w[n - 1] = uint16(left);
    }

    function sheet(uint256 seed, uint256 n, uint256 maxValue, string memory tag)
        internal
        pure
        returns (uint256[] memory xs)
    {
        xs = new uint256[](n);
        for (uint256 i; i < n; ++i) xs[i] = uint256(keccak256(abi.encode(seed, tag, i))) % (maxValue + 1);
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_FoldEqualsTheSumOfProducts(uint256 seed, uint8 metrics) public {
        uint256 n = bound(metrics, 1, Consensus.MAX_METRICS);
        uint16[] memory w = weightsFrom(seed, n);
        uint16[] memory v = new uint16[](n);
        for (uint256 m; m < n; ++m) v[m] = uint16(uint256(keccak256(abi.encode(seed, "v", m))));
        lib.validateWeights(w);
        uint256 score = lib.fold(v, w);
        assertEq(score, referenceFold(v, w), "fold");
        assertLte(score, Consensus.MAX_SCORE, "fold stays under MAX_SCORE");
    }

    function testFuzz_WeightsMustSumToTenThousand(uint256 seed, uint8 metrics, uint16 delta) public {
        uint256 n = bound(metrics, 1, Consensus.MAX_METRICS);
        uint16[] memory w = weightsFrom(seed, n);
        uint256 d = bound(delta, 1, 1000);
        w[0] = w[0] >= d ? uint16(w[0] - d) : uint16(w[0] + d);
        uint256 sum;
        for (uint256 m; m < n; ++m) sum += w[m];
        vm.expectRevert(abi.encodeWithSelector(Consensus.InvalidMetricWeights.selector, n, sum));
        lib.validateWeights(w);
    }

    function testFuzz_ConsensusMatchesTheDefinition(uint256 seed, uint8 validators, uint16 kappa, bool ties)
        public
    {
        uint256 n = bound(validators, 1, Consensus.MAX_VALIDATORS);
        uint256 k = bound(kappa, 1, 10_000);
        // Few distinct scores make ties (several validators at the same score) common.
        uint256[] memory scores = sheet(seed, n, ties ? 5 : Consensus.MAX_SCORE, "s");
        uint256[] memory stakes = sheet(seed, n, 1e24, "k");
        assertEq(lib.consensus(scores, stakes, k), referenceConsensus(scores, stakes, k), "consensus");
    }

    function testFuzz_MinorityCannotLiftTheMedianAboveTheHonestMaximum(uint256 seed, uint8 validators) public {
        uint256 n = bound(validators, 2, Consensus.MAX_VALIDATORS);
        uint256[] memory scores = sheet(seed, n, Consensus.MAX_SCORE / 2, "s");
        uint256[] memory stakes = sheet(seed, n, 1e24, "k");
        // The colluders are the first c validators, holding less than half of the stake.
        uint256 total;
        for (uint256 i; i < n; ++i) total += stakes[i] + 1;
        uint256 colluding;
        uint256 c;
        for (; c < n && (colluding + stakes[c] + 1) * 2 < total; ++c) colluding += stakes[c] + 1;
        uint256 honestMax;
        for (uint256 i; i < n; ++i) {
            stakes[i] += 1;
            if (i < c) scores[i] = Consensus.MAX_SCORE; // colluders score their friend to the top
            else if (scores[i] > honestMax) honestMax = scores[i];
        }
        assertLte(lib.consensus(scores, stakes, 5_000), honestMax, "consensus above every honest score");
    }

    function testFuzz_ClipIsTheMinimum(uint256 score, uint256 consensusScore) public {
        uint256 clipped = lib.clip(score, consensusScore);
        assertEq(clipped, score < consensusScore ? score : consensusScore);
    }

    function test_RejectsBadKappaAndMismatchedSets() public {
        uint256[] memory one = new uint256[](1);
        uint256[] memory two = new uint256[](2);
        vm.expectRevert(abi.encodeWithSelector(Consensus.InvalidKappa.selector, 0));
        lib.consensus(one, one, 0);
        vm.expectRevert(abi.encodeWithSelector(Consensus.InvalidKappa.selector, 10_001));
        lib.consensus(one, one, 10_001);
        vm.expectRevert(abi.encodeWithSelector(Consensus.InvalidValidatorSet.selector, 1, 2));
        lib.consensus(one, two, 5_000);
        uint256[] memory many = new uint256[](Consensus.MAX_VALIDATORS + 1);
        vm.expectRevert(abi.encodeWithSelector(Consensus.InvalidValidatorSet.selector, many.length, many.length));
        lib.consensus(many, many, 5_000);
    }
}

/// @dev Thin external wrapper around the internal library functions.
contract ConsensusExposer {
    function validateWeights(uint16[] memory weights) external pure {
        Consensus.validateWeights(weights);
    }

    function fold(uint16[] memory values, uint16[] memory weights) external pure returns (uint256) {
        return Consensus.fold(values, weights);
    }

    function consensus(uint256[] memory scores, uint256[] memory stakes, uint256 kappa)
        external
        pure
        returns (uint256)
    {
        return Consensus.consensus(scores, stakes, kappa);
    }

    function clip(uint256 score, uint256 consensusScore) external pure returns (uint256) {
        return Consensus.clip(score, consensusScore);
    }
}
