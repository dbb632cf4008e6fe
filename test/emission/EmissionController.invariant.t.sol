// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ContributionBucket} from "../../contracts/contribution/ContributionBucket.sol";
import {EmissionController} from "../../contracts/emission/EmissionController.sol";
import {IEmissionController} from "../../contracts/interfaces/IEmissionController.sol";
import {IEmissionReceiver} from "../../contracts/interfaces/IEmissionReceiver.sol";
import {Treasury} from "../../contracts/governance/Treasury.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {EmissionSchedule} from "../../contracts/libraries/EmissionSchedule.sol";
import {Tetrad} from "../../contracts/token/Tetrad.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {RevertingReceiver} from "../../contracts/mocks/MockEmissionReceivers.sol";
import {Core, TetradTest} from "../utils/TetradTest.sol";
import {InvariantTargets} from "../utils/InvariantTargets.sol";

/// @notice Drives the emission controller: time jumps (up to and past the schedule's end),
/// permissionless distributions from any caller, and governance's share, recipient, pause and authority
/// changes; strangers try the governance functions.
contract EmissionHandler is TetradTest {
    using EmissionSchedule for EmissionSchedule.Params;

    EmissionController public immutable controller;
    Tetrad public immutable token;
    address public immutable governance;
    TetradAccessManager public immutable manager;
    TetradAccessManager public immutable spareManager;
    EmissionSchedule.Params internal schedule;
    /// @dev Every address that may be a recipient: the five original ones, a second treasury, a
    /// contribution bucket (notified) and a recipient whose hook always reverts.
    address[] internal candidates;

    /// @dev What each address should have received, computed independently of the controller.
    mapping(address account => uint256) public ghostExpected;
    uint256 public ghostMinted;
    bool public ghostDistributeFailed;
    bool public ghostShareChangeRetroactive;
    bool public ghostRecipientChangeRetroactive;
    bool public ghostPaused;
    bool public ghostPausedDistributeWorked;
    bool public ghostStrangerChangedSomething;
    address public ghostAuthority;
    uint16[5] internal ghostShares;
    IEmissionController.Recipient[5] internal ghostRecipients;

    constructor(Core memory c, address governance_, TetradAccessManager spare, address[] memory extra) {
        controller = c.controller;
        token = c.token;
        governance = governance_;
        manager = c.manager;
        spareManager = spare;
        schedule = c.schedule;
        for (uint256 i; i < 5; ++i) {
            candidates.push(c.recipients[i]);
            ghostRecipients[i] = c.controller.recipient(IEmissionController.Bucket(i));
        }
        for (uint256 i; i < extra.length; ++i) candidates.push(extra[i]);
        ghostShares = c.controller.shares();
        ghostAuthority = address(c.manager);
    }

    // ----- anyone -----

    function warp(uint256 seconds_) external {
        // Mostly short hops, sometimes years: deep runs reach and pass the schedule's end (~16 years).
        uint256 dt = seconds_ % 4 == 0 ? bound(seconds_, 1, 3 * 365 days) : bound(seconds_, 1, 3 days);
        vm.warp(block.timestamp + dt);
    }

    function distribute(uint256 callerSeed) external {
        uint256 due = _due();
        vm.prank(address(uint160(bound(callerSeed, 1, type(uint160).max))));
        try controller.distribute() returns (uint256 minted) {
            if (ghostPaused) ghostPausedDistributeWorked = true;
            if (minted != due) ghostDistributeFailed = true; // a wrong amount counts as a failure too
            _book(due, ghostShares, ghostRecipients);
        } catch (bytes memory reason) {
            // Paused: refused with EnforcedPause, and nothing minted (the supply invariants check it).
            if (!ghostPaused || bytes4(reason) != Pausable.EnforcedPause.selector)
                ghostDistributeFailed = true;
        }
    }

    // ----- governance -----

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
        uint256[] memory before = _balances();
        vm.prank(governance);
        controller.setShares(next); // settles the past even while paused
        // The settlement at the change must have used the old shares, to the wei.
        if (!_paidAsBooked(before, due, ghostShares, ghostRecipients)) ghostShareChangeRetroactive = true;
        _book(due, ghostShares, ghostRecipients);
        ghostShares = next;
    }

    function setRecipient(uint256 bucketSeed, uint256 candidateSeed, bool notify) external {
        uint256 bucket = bucketSeed % 5;
        address account = candidates[candidateSeed % candidates.length];
        uint256 due = _due();
        uint256[] memory before = _balances();
        vm.prank(governance);
        controller.setRecipient(IEmissionController.Bucket(bucket), account, notify);
        // The past is settled at the old recipient, to the wei.
        if (!_paidAsBooked(before, due, ghostShares, ghostRecipients)) ghostRecipientChangeRetroactive = true;
        _book(due, ghostShares, ghostRecipients);
        ghostRecipients[bucket] = IEmissionController.Recipient(account, notify);
    }

    function pause() external {
        vm.prank(governance);
        try controller.pause() {
            ghostPaused = true;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function unpause() external {
        vm.prank(governance);
        try controller.unpause() {
            ghostPaused = false;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev Moves the controller to the other AccessManager (governance administers both).
    function migrateAuthority() external {
        address next = ghostAuthority == address(manager) ? address(spareManager) : address(manager);
        vm.prank(governance);
        IAccessManager(ghostAuthority).updateAuthority(address(controller), next);
        ghostAuthority = next;
    }

    /// @dev Someone other than governance tries one governance function; every one must refuse.
    function strangerTries(uint256 callerSeed, uint256 which) external {
        address caller = address(uint160(bound(callerSeed, 1, type(uint160).max)));
        // (An AccessManager may call setAuthority on what it governs: the authorities are not strangers.)
        if (caller == governance || caller == address(manager) || caller == address(spareManager)) return;
        uint16[5] memory shares = [uint16(0), 0, 0, 0, 10_000];
        bytes memory call;
        which %= 5;
        if (which == 0) call = abi.encodeCall(EmissionController.setShares, (shares));
        else if (which == 1)
            call = abi.encodeCall(
                EmissionController.setRecipient,
                (IEmissionController.Bucket.Protection, caller, false)
            );
        else if (which == 2) call = abi.encodeCall(EmissionController.pause, ());
        else if (which == 3) call = abi.encodeCall(EmissionController.unpause, ());
        else call = abi.encodeCall(IAccessManaged.setAuthority, (caller));
        vm.prank(caller);
        (bool ok, ) = address(controller).call(call);
        if (ok) ghostStrangerChangedSomething = true;
    }

    // ----- views for the invariants -----

    function candidateCount() external view returns (uint256) {
        return candidates.length;
    }

    function candidateAt(uint256 i) external view returns (address) {
        return candidates[i];
    }

    function ghostShareAt(uint256 i) external view returns (uint16) {
        return ghostShares[i];
    }

    function ghostRecipientAt(uint256 i) external view returns (IEmissionController.Recipient memory) {
        return ghostRecipients[i];
    }

    // ----- helpers -----

    function _due() internal view returns (uint256) {
        uint256 last = controller.lastDistribution();
        return block.timestamp <= last ? 0 : schedule.emitted(last, block.timestamp);
    }

    function _book(
        uint256 minted,
        uint16[5] memory shares,
        IEmissionController.Recipient[5] memory recipients
    ) internal {
        ghostMinted += minted;
        uint256[5] memory amounts = _split(minted, shares);
        for (uint256 i; i < 5; ++i) ghostExpected[recipients[i].account] += amounts[i];
    }

    /// @dev Whether every candidate's balance moved from `before` by exactly its part of `minted` under
    /// `shares` and `recipients`.
    function _paidAsBooked(
        uint256[] memory before,
        uint256 minted,
        uint16[5] memory shares,
        IEmissionController.Recipient[5] memory recipients
    ) internal view returns (bool) {
        uint256[5] memory amounts = _split(minted, shares);
        uint256[] memory afterBalances = _balances();
        for (uint256 k; k < candidates.length; ++k) {
            uint256 expected;
            for (uint256 i; i < 5; ++i) if (recipients[i].account == candidates[k]) expected += amounts[i];
            if (afterBalances[k] - before[k] != expected) return false;
        }
        return true;
    }

    function _split(uint256 minted, uint16[5] memory shares) internal pure returns (uint256[5] memory a) {
        uint256 paid;
        for (uint256 i; i < 4; ++i) {
            a[i] = (minted * shares[i]) / 10_000;
            paid += a[i];
        }
        a[4] = minted - paid;
    }

    function _balances() internal view returns (uint256[] memory b) {
        b = new uint256[](candidates.length);
        for (uint256 i; i < candidates.length; ++i) b[i] = token.balanceOf(candidates[i]);
    }
}

/// @notice Emission invariants: supply follows the schedule to the wei, recipients get exactly what was
/// minted for them, the cap holds, distribute never fails unless paused, share and recipient changes are
/// never retroactive, and only governance changes the settings.
contract EmissionInvariantTest is TetradTest, InvariantTargets {
    using EmissionSchedule for EmissionSchedule.Params;

    Core internal c;
    EmissionHandler internal handler;

    function setUp() public {
        c = deployCore(new MockStakeToken("Stake", "STK"), 0);
        // A second AccessManager that governance also administers, for authority migrations.
        TetradAccessManager spare = new TetradAccessManager(address(this));
        // Extra recipients: a contribution bucket the controller notifies (it holds what it receives
        // while no subnet has weight), a second treasury and a recipient whose hook always reverts.
        ContributionBucket bucket = new ContributionBucket(address(c.manager), c.token);
        bytes4[] memory sel = new bytes4[](1);
        sel[0] = IEmissionReceiver.onEmission.selector;
        c.manager.setTargetFunctionRole(address(bucket), sel, DISTRIBUTOR_ROLE);
        // The code bucket goes to the contribution bucket, so its hook runs from the first call; the
        // code treasury stays a candidate.
        address codeTreasury = c.recipients[0];
        c.controller.setRecipient(IEmissionController.Bucket.Code, address(bucket), true);
        c.recipients[0] = address(bucket);
        address[] memory extra = new address[](3);
        extra[0] = codeTreasury;
        extra[1] = address(new Treasury(address(c.manager)));
        extra[2] = address(new RevertingReceiver());
        handler = new EmissionHandler(c, address(this), spare, extra);
    }

    function _targets() internal view override returns (address, bytes memory) {
        // prettier-ignore
        return (address(handler), abi.encodePacked([handler.warp.selector, handler.distribute.selector,
            handler.setShares.selector, handler.setRecipient.selector, handler.pause.selector,
            handler.unpause.selector, handler.migrateAuthority.selector, handler.strangerTries.selector]));
    }

    function invariant_SupplyEqualsScheduleAtLastDistribution() public {
        assertEq(c.token.totalSupply(), c.schedule.cumulative(c.controller.lastDistribution()));
        assertEq(c.token.totalSupply(), handler.ghostMinted());
    }

    function invariant_BucketsReceivedExactlyWhatWasMinted() public {
        uint256 sum;
        uint256 n = handler.candidateCount();
        for (uint256 i; i < n; ++i) {
            address account = handler.candidateAt(i);
            uint256 balance = c.token.balanceOf(account);
            assertEq(balance, handler.ghostExpected(account), "recipient balance != its shares' amounts");
            sum += balance;
        }
        assertEq(sum, c.token.totalSupply(), "recipients do not add up to the supply");
    }

    function invariant_SupplyNeverExceedsCap() public {
        assertLte(c.token.totalSupply(), c.token.cap());
    }

    function invariant_DistributeNeverFails() public {
        assertFalse(
            handler.ghostDistributeFailed(),
            "distribute reverted unpaused or minted the wrong amount"
        );
    }

    function invariant_ShareChangesNeverAlterWhatWasDue() public {
        assertFalse(handler.ghostShareChangeRetroactive(), "a share change settled the past at new shares");
    }

    function invariant_RecipientChangesNeverRedirectWhatWasDue() public {
        assertFalse(
            handler.ghostRecipientChangeRetroactive(),
            "a recipient change paid the past to the new recipient"
        );
    }

    function invariant_PauseStopsOnlyPermissionlessDistribution() public {
        assertEq(c.controller.paused(), handler.ghostPaused(), "paused state");
        assertFalse(handler.ghostPausedDistributeWorked(), "distribute worked while paused");
    }

    function invariant_OnlyGovernanceChangesTheSettings() public {
        assertFalse(handler.ghostStrangerChangedSomething(), "a stranger called a governance function");
        assertEq(IAccessManaged(address(c.controller)).authority(), handler.ghostAuthority(), "authority");
        uint16[5] memory shares = c.controller.shares();
        for (uint256 i; i < 5; ++i) {
            assertEq(uint256(shares[i]), uint256(handler.ghostShareAt(i)), "shares");
            IEmissionController.Recipient memory r = c.controller.recipient(IEmissionController.Bucket(i));
            IEmissionController.Recipient memory g = handler.ghostRecipientAt(i);
            assertEq(r.account, g.account, "recipient");
            assertEq(r.notify, g.notify, "recipient notify");
        }
    }
}
