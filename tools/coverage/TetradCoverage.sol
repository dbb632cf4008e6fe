// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/**
 * @dev Coverage probe for `hardhat coverage` (tools/coverage/edr.js): solidity-coverage's instrumentation
 * calls `hit(hash)` at every line, statement, branch and function, and the probe sends the hash to the
 * address at which Hardhat's EDR collects coverage natively (its `observability.codeCoverage`), so the
 * instrumented run no longer streams every EVM step to JavaScript. Never part of a deployed contract:
 * only instrumented sources import it.
 */
library TetradCoverage {
    /// @dev The address EDR's coverage collector watches (the one Hardhat 3's own coverage library calls).
    address internal constant COLLECTOR = 0xc0bEc0BEc0BeC0bEC0beC0bEC0bEC0beC0beC0BE;

    /// @dev Reports one probe; callable from pure code (the view implementation is cast to pure).
    function hit(bytes8 hash) internal pure {
        _asPure(_send)(uint256(uint64(hash)));
    }

    function _send(uint256 id) private view {
        address collector = COLLECTOR;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, id)
            pop(staticcall(gas(), collector, ptr, 32, 0, 0))
        }
    }

    function _asPure(function(uint256) internal view fnIn) private pure returns (function(uint256) internal pure fnOut) {
        assembly ("memory-safe") {
            fnOut := fnIn
        }
    }
}
