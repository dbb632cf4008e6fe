// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FuzzSelector} from "./TetradTest.sol";

/// @notice What every invariant suite tells forge: one handler is the only target, and these of its
/// functions are the ones to call. A suite implements `_targets()`; forge reads `targetContracts()` and
/// `targetSelectors()` from the ABI (the StdInvariant shapes, without forge-std).
abstract contract InvariantTargets {
    /// @dev The one contract the fuzzer calls and its selectors, packed
    /// (`abi.encodePacked(h.a.selector, h.b.selector, ...)`).
    function _targets() internal view virtual returns (address handler, bytes memory selectors);

    function targetContracts() public view returns (address[] memory targets) {
        (address handler, ) = _targets();
        targets = new address[](1);
        targets[0] = handler;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory s) {
        (address handler, bytes memory packed) = _targets();
        require(packed.length % 4 == 0, "InvariantTargets: packed selectors");
        bytes4[] memory selectors = new bytes4[](packed.length / 4);
        for (uint256 i = 0; i < selectors.length; i++) {
            selectors[i] = bytes4(
                bytes.concat(packed[4 * i], packed[4 * i + 1], packed[4 * i + 2], packed[4 * i + 3])
            );
        }
        s = new FuzzSelector[](1);
        s[0] = FuzzSelector(handler, selectors);
    }
}
