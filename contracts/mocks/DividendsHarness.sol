// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Dividends} from "../libraries/Dividends.sol";

/// @notice Exposes the Dividends library to tests, one call per function with the same arguments
/// (`relative` is `relativeThreshold`, `s` `edgeShare` and `f` `edgeFloor`).
contract DividendsHarness {
    /// @notice `Dividends.struck`.
    function struck(uint256 a, uint256 m, uint256 floor, uint256 relative) external pure returns (bool) {
        return Dividends.struck(a, m, floor, relative);
    }

    /// @notice `Dividends.factor`.
    function factor(uint256 a, uint256 m, uint256 l, uint256 s, uint256 f) external pure returns (uint256) {
        return Dividends.factor(a, m, l, s, f);
    }
}
