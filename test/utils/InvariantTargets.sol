// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FuzzSelector} from "./TetradTest.sol";

/// @notice What every invariant suite tells forge: one handler is the only target, and these of its
/// functions are the ones to call. A suite implements `_targets()`; forge reads `targetContracts()` and
/// `targetSelectors()` from the ABI (the StdInvariant shapes, without forge-std).
abstract contract InvariantTargets {
    /// @dev The one contract the fuzzer calls and its selectors, as a packed array literal:
    /// `abi.encodePacked([h.a.selector, h.b.selector, ...])` (each element padded to 32 bytes; an array
    /// literal is stored element by element, so a long list does not run out of stack).
    function _targets() internal view virtual returns (address handler, bytes memory selectors);

    function targetContracts() public view returns (address[] memory targets) {
        (address handler, ) = _targets();
        targets = new address[](1);
        targets[0] = handler;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory s) {
        (address handler, bytes memory packed) = _targets();
        require(packed.length % 32 == 0, "InvariantTargets: not a packed bytes4 array");
        bytes4[] memory selectors = new bytes4[](packed.length / 32);
        for (uint256 i = 0; i < selectors.length; i++) {
            bytes4 selector;
            assembly ("memory-safe") {
                selector := mload(add(packed, mul(32, add(i, 1))))
            }
            selectors[i] = selector;
        }
        s = new FuzzSelector[](1);
        s[0] = FuzzSelector(handler, selectors);
    }
}
