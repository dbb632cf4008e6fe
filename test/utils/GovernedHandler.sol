// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {TetradTest} from "./TetradTest.sol";

/// @dev The pause switch of the contracts the handlers drive.
interface IPausable {
    function pause() external;

    function unpause() external;
}

/// @notice What the invariant handlers that play governance share: the AccessManager the governed contracts
/// start under and a spare one that governance also administers; an authority migration moves a contract
/// from one to the other.
abstract contract GovernedHandler is TetradTest {
    TetradAccessManager public immutable manager;
    TetradAccessManager public immutable spareManager;

    constructor(TetradAccessManager manager_, TetradAccessManager spare) {
        (manager, spareManager) = (manager_, spare);
    }

    /// @dev Whether `account` is one of the two AccessManagers. An AccessManager may call `setAuthority` on
    /// what it governs: the authorities are not strangers.
    function _isManager(address account) internal view returns (bool) {
        return account == address(manager) || account == address(spareManager);
    }

    /// @dev `governance` moves `target` from the AccessManager `current` to the other one, which it returns.
    function _migrate(address governance, address target, address current) internal returns (address next) {
        next = current == address(manager) ? address(spareManager) : address(manager);
        vm.prank(governance);
        IAccessManager(current).updateAuthority(target, next);
    }
}

/// @notice A governed handler whose contract governance pauses and unpauses: the pause state as the ghost
/// model sees it.
abstract contract PausableHandler is GovernedHandler {
    bool public ghostPaused;

    /// @dev `governance` pauses (`paused`) or unpauses `target`; the ghost follows when the call goes through.
    function _setPaused(address governance, address target, bool paused) internal {
        vm.prank(governance);
        (bool ok, ) = target.call(
            paused ? abi.encodeCall(IPausable.pause, ()) : abi.encodeCall(IPausable.unpause, ())
        );
        if (ok) ghostPaused = paused;
    }
}
