// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Dividends} from "../libraries/Dividends.sol";

/// @notice Exposes the Dividends library to tests.
contract DividendsHarness {
    function struck(
        uint256 a,
        uint256 m,
        uint256 floor,
        uint256 relativeThreshold
    ) external pure returns (bool) {
        return Dividends.struck(a, m, floor, relativeThreshold);
    }

    function factor(
        uint256 a,
        uint256 m,
        uint256 l,
        uint256 edgeShare,
        uint256 edgeFloor
    ) external pure returns (uint256) {
        return Dividends.factor(a, m, l, edgeShare, edgeFloor);
    }
}
