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
}
