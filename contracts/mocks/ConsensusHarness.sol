// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Consensus} from "../libraries/Consensus.sol";

/// @notice Exposes the Consensus library to tests.
contract ConsensusHarness {
    function validateWeights(uint16[] calldata weights) external pure {
        Consensus.validateWeights(weights);
    }

    function fold(uint16[] calldata values, uint16[] calldata weights) external pure returns (uint256) {
        return Consensus.fold(values, weights);
    }

    function consensus(
        uint256[] calldata scores,
        uint256[] calldata stakes,
        uint256 kappa
    ) external pure returns (uint256) {
        return Consensus.consensus(scores, stakes, kappa);
    }

    function clip(uint256 score, uint256 consensusScore) external pure returns (uint256) {
        return Consensus.clip(score, consensusScore);
    }

    function foldPacked(
        bytes calldata sheet,
        uint256 offset,
        uint16[] calldata weights
    ) external pure returns (uint256) {
        return Consensus.foldPacked(sheet, offset, weights);
    }

    // solhint-disable-next-line gas-calldata-parameters
    function accumulate(
        uint256[] calldata scores,
        uint256 consensusScore,
        uint256[] memory mins,
        uint256[] memory maxs
    ) external pure returns (uint256[] memory, uint256[] memory) {
        Consensus.accumulate(scores, consensusScore, mins, maxs);
        return (mins, maxs);
    }

    function agreement(uint256 minSum, uint256 maxSum) external pure returns (uint256) {
        return Consensus.agreement(minSum, maxSum);
    }
}
