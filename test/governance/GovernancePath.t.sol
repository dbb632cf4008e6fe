// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TetradGovernor} from "../../contracts/governance/TetradGovernor.sol";
import {TetradTimelock} from "../../contracts/governance/TetradTimelock.sol";
import {Tetrad} from "../../contracts/token/Tetrad.sol";
import {GovernancePath} from "../../contracts/libraries/GovernancePath.sol";
import {TetradTest} from "../utils/TetradTest.sol";

/// @notice Fuzzed GovernancePath bounds (issue 15): no Governor whose voting path (delay + period +
/// late-quorum extension) exceeds 11 days and no Timelock whose delay exceeds 3 days can exist, so a
/// slash proposal always lands before a 15-day unbonding ends; the vote lookback stays within its bounds.
contract GovernancePathTest is TetradTest {
    Tetrad internal token;
    TetradTimelock internal timelock;

    function setUp() public {
        token = new Tetrad(address(this), 1e27);
        address[] memory none = new address[](0);
        timelock = new TetradTimelock(2 days, none, none, address(this));
    }

    function _config(
        uint256 delay,
        uint256 period,
        uint256 extension
    ) internal pure returns (TetradGovernor.Config memory c) {
        c = defaultGovernance(address(0));
        c.votingDelay = uint48(delay);
        c.votingPeriod = uint32(period);
        c.lateQuorumExtension = uint48(extension);
    }

    function testFuzz_GovernorPathWithinElevenDaysOnly(
        uint256 delay,
        uint256 period,
        uint256 extension
    ) public {
        delay = bound(delay, 0, 12 days);
        period = bound(period, 1, 12 days);
        extension = bound(extension, 0, period); // OZ: the extension is at most the voting period
        uint256 path = delay + period + extension;
        if (path > GovernancePath.MAX_VOTING_PATH) {
            // Whichever setter sees the path first names it (a partial path over the bound, or the whole).
            try new TetradGovernor(token, timelock, _config(delay, period, extension)) {
                fail("a Governor with a voting path over 11 days");
            } catch (bytes memory reason) {
                assertEq(bytes4(reason), TetradGovernor.GovernancePathTooLong.selector);
                (uint256 named, uint256 max) = abi.decode(_args(reason), (uint256, uint256));
                assertGt(named, GovernancePath.MAX_VOTING_PATH);
                assertLte(named, path);
                assertEq(max, GovernancePath.MAX_VOTING_PATH);
            }
        } else {
            TetradGovernor g = new TetradGovernor(token, timelock, _config(delay, period, extension));
            assertLte(
                g.votingDelay() + g.votingPeriod() + g.lateQuorumVoteExtension(),
                GovernancePath.MAX_VOTING_PATH
            );
        }
    }

    function testFuzz_VoteLookbackOutsideItsBoundsReverts(uint256 lookback, bool above) public {
        TetradGovernor.Config memory c = defaultGovernance(address(0));
        c.voteLookback =
            above ? bound(lookback, 30 days + 1, type(uint256).max) : bound(lookback, 0, 1 days - 1);
        vm.expectRevert(abi.encodeWithSelector(TetradGovernor.InvalidVoteLookback.selector, c.voteLookback));
        new TetradGovernor(token, timelock, c);
    }

    function testFuzz_TimelockDelayOverThreeDaysReverts(uint256 delay) public {
        delay = bound(delay, GovernancePath.MAX_TIMELOCK_DELAY + 1, type(uint256).max);
        address[] memory none = new address[](0);
        bytes memory tooLong = abi.encodeWithSelector(
            TetradTimelock.TimelockDelayTooLong.selector,
            delay,
            GovernancePath.MAX_TIMELOCK_DELAY
        );
        vm.expectRevert(tooLong);
        new TetradTimelock(delay, none, none, address(0));
        // Nor by the Timelock's own operation (the only caller `updateDelay` admits).
        vm.prank(address(timelock));
        vm.expectRevert(tooLong);
        timelock.updateDelay(delay);
        assertEq(timelock.getMinDelay(), 2 days);
        vm.prank(address(timelock));
        timelock.updateDelay(GovernancePath.MAX_TIMELOCK_DELAY);
        assertEq(timelock.getMinDelay(), GovernancePath.MAX_TIMELOCK_DELAY);
    }

    /// @dev A custom error's arguments: the revert data after its selector.
    function _args(bytes memory reason) internal pure returns (bytes memory args) {
        args = new bytes(reason.length - 4);
        for (uint256 i; i < args.length; ++i) args[i] = reason[i + 4];
    }
}
