// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EmissionController} from "../../contracts/emission/EmissionController.sol";
import {EmissionSchedule} from "../../contracts/libraries/EmissionSchedule.sol";
import {Tetrad} from "../../contracts/token/Tetrad.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {Core, FuzzSelector, TetradTest} from "../utils/TetradTest.sol";

/// @notice Drives the emission controller: time jumps (up to and past the schedule's end),
/// permissionless distributions from any caller, and governance share changes.
contract EmissionHandler is TetradTest {
    using EmissionSchedule for EmissionSchedule.Params;

    EmissionController public immutable controller;
    Tetrad public immutable token;
    address public immutable governance;
    EmissionSchedule.Params internal schedule;
    address[5] internal recipients;

    /// @dev What each recipient should have received, computed independently of the controller.
    uint256[5] public ghostExpected;
    uint256 public ghostMinted;
    bool public ghostDistributeFailed;
    bool public ghostShareChangeRetroactive;

    constructor(Core memory c, address governance_) {
        controller = c.controller;
        token = c.token;
        governance = governance_;
        schedule = c.schedule;
        recipients = c.recipients;
    }

    function warp(uint256 seconds_) external {
        // Mostly short hops, sometimes years: deep runs reach and pass the schedule's end (~16 years).
        uint256 dt = seconds_ % 4 == 0 ? bound(seconds_, 1, 3 * 365 days) : bound(seconds_, 1, 3 days);
        vm.warp(block.timestamp + dt);
    }

    function distribute(uint256 callerSeed) external {
        uint256 due = _due();
        vm.prank(address(uint160(bound(callerSeed, 1, type(uint160).max))));
        try controller.distribute() returns (uint256 minted) {
            if (minted != due) ghostDistributeFailed = true; // a wrong amount counts as a failure too
            _book(due, controller.shares());
        } catch {
            ghostDistributeFailed = true;
        }
    }

    function setShares(uint256 a, uint256 b, uint256 c, uint256 d) external {
        uint16[5] memory next;
        uint256 left = 10_000;
        next[0] = uint16(bound(a, 0, left));
        left -= next[0];
        next[1] = uint16(bound(b, 0, left));
        left -= next[1];
        next[2] = uint16(bound(c, 0, left));
        left -= next[2];
        next[3] = uint16(bound(d, 0, left));
        next[4] = uint16(left - next[3]);

        uint256 due = _due();
        uint16[5] memory old = controller.shares();
        uint256[5] memory before = _balances();
        vm.prank(governance);
        controller.setShares(next);
        // The settlement at the change must have used the old shares, to the wei.
        uint256[5] memory expected = _split(due, old);
        uint256[5] memory afterBalances = _balances();
        for (uint256 i; i < 5; ++i) {
            if (afterBalances[i] - before[i] != expected[i]) ghostShareChangeRetroactive = true;
        }
        _book(due, old);
    }

    function recipientAt(uint256 i) external view returns (address) {
        return recipients[i];
    }

    function _due() internal view returns (uint256) {
        uint256 last = controller.lastDistribution();
        return block.timestamp <= last ? 0 : schedule.emitted(last, block.timestamp);
    }

    function _book(uint256 minted, uint16[5] memory shares) internal {
        ghostMinted += minted;
        uint256[5] memory amounts = _split(minted, shares);
        for (uint256 i; i < 5; ++i) ghostExpected[i] += amounts[i];
    }

    function _split(uint256 minted, uint16[5] memory shares) internal pure returns (uint256[5] memory a) {
        uint256 paid;
        for (uint256 i; i < 4; ++i) {
            a[i] = (minted * shares[i]) / 10_000;
            paid += a[i];
        }
        a[4] = minted - paid;
    }

    function _balances() internal view returns (uint256[5] memory b) {
        for (uint256 i; i < 5; ++i) b[i] = token.balanceOf(recipients[i]);
    }
}

/// @notice Emission invariants: supply follows the schedule to the wei, buckets get exactly what was
/// minted, the cap holds, distribute never fails, share changes are never retroactive.
contract EmissionInvariantTest is TetradTest {
    using EmissionSchedule for EmissionSchedule.Params;

    Core internal c;
    EmissionHandler internal handler;

    function setUp() public {
        c = deployCore(new MockStakeToken("Stake", "STK"), 0);
        handler = new EmissionHandler(c, address(this));
        c.manager.grantRole(0, address(handler), 0); // the handler plays governance for setShares
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory s) {
        bytes4[] memory selectors = new bytes4[](3);
        selectors[0] = EmissionHandler.warp.selector;
        selectors[1] = EmissionHandler.distribute.selector;
        selectors[2] = EmissionHandler.setShares.selector;
        s = new FuzzSelector[](1);
        s[0] = FuzzSelector(address(handler), selectors);
    }

    function invariant_SupplyEqualsScheduleAtLastDistribution() public {
        assertEq(c.token.totalSupply(), c.schedule.cumulative(c.controller.lastDistribution()));
        assertEq(c.token.totalSupply(), handler.ghostMinted());
    }

    function invariant_BucketsReceivedExactlyWhatWasMinted() public {
        uint256 sum;
        for (uint256 i; i < 5; ++i) {
            uint256 balance = c.token.balanceOf(handler.recipientAt(i));
            assertEq(balance, handler.ghostExpected(i), "bucket balance != its shares' amounts");
            sum += balance;
        }
        assertEq(sum, c.token.totalSupply(), "buckets do not add up to the supply");
    }

    function invariant_SupplyNeverExceedsCap() public {
        assertLte(c.token.totalSupply(), c.token.cap());
    }

    function invariant_DistributeNeverFails() public {
        assertFalse(handler.ghostDistributeFailed(), "distribute reverted or minted the wrong amount");
    }

    function invariant_ShareChangesNeverAlterWhatWasDue() public {
        assertFalse(handler.ghostShareChangeRetroactive(), "a share change settled the past at new shares");
    }
}
