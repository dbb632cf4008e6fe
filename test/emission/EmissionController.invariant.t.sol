// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
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
import {Core, LimitGhost, LimitGhosts, TetradTest} from "../utils/TetradTest.sol";
import {InvariantTargets} from "../utils/InvariantTargets.sol";
import {GovernedHandler, PausableHandler} from "../utils/GovernedHandler.sol";

/// @notice Drives the emission controller: time jumps (up to and past the schedule's end, and of up to
/// 40 days, some exactly to the end of the share-change wait or to a scheduled step loosening, or one
/// second before), permissionless distributions from any caller, and governance's share (random moves
/// around the step in force, whole random splits, splits that do not add up), step (tighter, looser, too
/// loose), recipient, pause and authority changes; strangers try the governance functions.
contract EmissionHandler is PausableHandler {
    using EmissionSchedule for EmissionSchedule.Params;
    using LimitGhosts for LimitGhost;

    EmissionController public immutable controller;
    Tetrad public immutable token;
    address public immutable governance;
    EmissionSchedule.Params internal schedule;
    /// @dev Every address that may be a recipient: the five original ones, a second treasury, a
    /// contribution bucket (notified) and a recipient whose hook always reverts.
    address[] public candidates;

    /// @dev What each address should have received, computed independently of the controller.
    mapping(address account => uint256) public ghostExpected;
    uint256 public ghostMinted;
    bool public ghostDistributeFailed;
    bool public ghostShareChangeRetroactive;
    bool public ghostRecipientChangeRetroactive;
    bool public ghostPausedDistributeWorked;
    bool public ghostStrangerChangedSomething;
    address public ghostAuthority;
    uint16[5] public ghostShares;

    uint256 internal constant SHARES_WINDOW = 30 days;
    // The share-change rate limit as the ghost sees it (issue 15): the step in force (a limit whose
    // loosenings wait) and the last accepted change.
    LimitGhost internal shareStep;
    uint256 public ghostLastSharesChange;
    uint256 public ghostLargestMove;
    bool public ghostShareChangeOutOfBounds;
    bool public ghostSharesChangedTooSoon;
    bool public ghostShareStepExceeded;
    bool public ghostShareChangeRefusedWrongly;
    uint256 public sharesChanges;
    uint256 public sharesRefused;
    IEmissionController.Recipient[5] public ghostRecipients;

    constructor(
        Core memory c,
        address governance_,
        TetradAccessManager spare,
        address[] memory extra
    ) GovernedHandler(c.manager, spare) {
        controller = c.controller;
        token = c.token;
        governance = governance_;
        schedule = c.schedule;
        for (uint256 i; i < 5; ++i) {
            candidates.push(c.recipients[i]);
            ghostRecipients[i] = c.controller.recipient(IEmissionController.Bucket(i));
        }
        for (uint256 i; i < extra.length; ++i) candidates.push(extra[i]);
        ghostShares = c.controller.shares();
        shareStep.inForce = 1_000;
        ghostAuthority = address(c.manager);
    }

    // ----- anyone -----

    function warp(uint256 seconds_) external {
        // Mostly short hops, sometimes years: deep runs reach and pass the schedule's end (~16 years).
        uint256 dt = seconds_ % 4 == 0 ? bound(seconds_, 1, 3 * 365 days) : bound(seconds_, 1, 3 days);
        vm.warp(block.timestamp + dt);
        _syncStep();
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

    /// @dev Governance moves shares: mostly a random move of up to a little over the step in force between two
    /// buckets (twice), sometimes a whole random split (far above the step) or a split that does not add up.
    /// Accepted iff 30 days have passed since the last change, every share moves by at most the step in
    /// force and the shares add up to 10,000; each accepted change is booked (time and moves).
    function setShares(uint256 a, uint256 b, uint256 c, uint256 d) external {
        _syncStep();
        uint16[5] memory next = ghostShares;
        uint256 mode = a % 8;
        if (mode == 0) {
            // A whole random split (the suite's original move).
            uint256 left = 10_000;
            next[0] = uint16(bound(a >> 3, 0, left));
            left -= next[0];
            next[1] = uint16(bound(b, 0, left));
            left -= next[1];
            next[2] = uint16(bound(c, 0, left));
            left -= next[2];
            next[3] = uint16(bound(d, 0, left));
            next[4] = uint16(left - next[3]);
        } else {
            // Two moves of up to step + 100 bps between random buckets.
            uint256 reach = shareStep.inForce + 100;
            for (uint256 m; m < 2; ++m) {
                uint256 seed = m == 0 ? b : c;
                (uint256 from, uint256 to) = (seed % 5, (seed >> 8) % 5);
                uint256 amount = bound(seed >> 16, 0, next[from] < reach ? next[from] : reach);
                next[from] -= uint16(amount);
                next[to] += uint16(amount);
            }
            if (mode == 1) next[d % 5] += uint16(bound(d >> 8, 1, 5)); // does not add up to 10,000
        }

        uint256 sum;
        uint256 maxMove;
        for (uint256 i; i < 5; ++i) {
            sum += next[i];
            uint256 move = next[i] > ghostShares[i] ? next[i] - ghostShares[i] : ghostShares[i] - next[i];
            if (move > maxMove) maxMove = move;
        }
        bool due = ghostLastSharesChange == 0 || block.timestamp >= ghostLastSharesChange + SHARES_WINDOW;
        bool allowed = due && sum == 10_000 && maxMove <= shareStep.inForce;

        uint256 owed = _due();
        uint256[] memory before = _balances();
        vm.prank(governance);
        try controller.setShares(next) {
            // settles the past even while paused
            ++sharesChanges;
            if (!allowed) ghostShareChangeOutOfBounds = true;
            // The rate limit, checked on the change itself: 30 days since the last one at least, and no
            // share moved by more than the step in force.
            if (ghostLastSharesChange != 0 && block.timestamp < ghostLastSharesChange + SHARES_WINDOW)
                ghostSharesChangedTooSoon = true;
            if (maxMove > shareStep.inForce) ghostShareStepExceeded = true;
            ghostLastSharesChange = block.timestamp;
            if (maxMove > ghostLargestMove) ghostLargestMove = maxMove;
            // The settlement at the change must have used the old shares, to the wei.
            if (!_paidAsBooked(before, owed, ghostShares, ghostRecipients))
                ghostShareChangeRetroactive = true;
            _book(owed, ghostShares, ghostRecipients);
            ghostShares = next;
        } catch (bytes memory reason) {
            ++sharesRefused;
            bytes4 expected =
                !due
                    ? IEmissionController.SharesChangedTooRecently.selector
                    : sum != 10_000
                        ? IEmissionController.InvalidShares.selector
                        : IEmissionController.ShareStepTooLarge.selector;
            if (allowed || bytes4(reason) != expected) ghostShareChangeRefusedWrongly = true;
        }
    }

    /// @dev Governance sets the step: the largest loosening allowed, a tightening, a too-large loosening or
    /// anything valid. A tightening applies at once (and cancels a scheduled loosening); a loosening, by at
    /// most 500 over the step in force, 30 days later.
    function setMaxShareStep(uint256 seed) external {
        _syncStep();
        // Up to 500 tighter; "near" spans all of [0, cap], so its mode is anything valid too.
        (uint256 value, uint256 cap) = limitCandidate(seed, shareStep.inForce, 500, 500, 10_000);
        bool valid = value <= cap;
        vm.prank(governance);
        try controller.setMaxShareStep(value) {
            shareStep.accepted(value, valid, SHARES_WINDOW);
        } catch (bytes memory reason) {
            shareStep.refused(valid, reason, IEmissionController.InvalidMaxShareStep.selector);
        }
        _syncStep();
    }

    /// @dev Time in the share-change scale: up to 40 days, sometimes exactly to (or one second before) the
    /// end of the share-change wait or a scheduled step loosening.
    function warpDays(uint256 seed) external {
        uint256 mode = seed % 6;
        uint256 target;
        if (mode == 0) target = shareStep.pendingAt;
        else if (mode == 1 && ghostLastSharesChange != 0) target = ghostLastSharesChange + SHARES_WINDOW;
        uint256 dt =
            target > block.timestamp
                ? target - block.timestamp - ((seed >> 3) % 2)
                : bound(seed >> 3, 1, 40 days);
        vm.warp(block.timestamp + dt);
        _syncStep();
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
        _setPaused(governance, address(controller), true);
    }

    function unpause() external {
        _setPaused(governance, address(controller), false);
    }

    /// @dev Moves the controller to the other AccessManager (governance administers both).
    function migrateAuthority() external {
        ghostAuthority = _migrate(governance, address(controller), ghostAuthority);
    }

    /// @dev Someone other than governance tries one governance function; every one must refuse.
    function strangerTries(uint256 callerSeed, uint256 which) external {
        address caller = address(uint160(bound(callerSeed, 1, type(uint160).max)));
        if (caller == governance || _isManager(caller)) return;
        uint16[5] memory shares = [uint16(0), 0, 0, 0, 10_000];
        bytes memory call;
        which %= 7;
        if (which == 0) call = abi.encodeCall(EmissionController.setShares, (shares));
        else if (which == 5) call = abi.encodeCall(EmissionController.setMaxShareStep, (0));
        else if (which == 6)
            call = abi.encodeCall(EmissionController.setMaxShareStep, (shareStep.inForce + 1));
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

    function stepGhost() external view returns (LimitGhost memory) {
        return shareStep;
    }

    // ----- helpers -----

    /// @dev Applies a step loosening whose time has come, then compares the step with the controller's: it
    /// may never be above the ghost's (a loosening applied early), nor differ at all.
    function _syncStep() internal {
        shareStep.sync(controller.maxShareStep());
    }

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
/// never retroactive, and only governance changes the settings; the share-change rate limit (issue 15):
/// one change per 30 days, no share moved by more than the step in force, a step loosening never applies
/// before 30 days, shares always add up to 10,000.
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
            handler.unpause.selector, handler.migrateAuthority.selector, handler.strangerTries.selector,
            handler.setMaxShareStep.selector, handler.warpDays.selector]));
    }

    function invariant_SupplyEqualsScheduleAtLastDistribution() public {
        assertEq(c.token.totalSupply(), c.schedule.cumulative(c.controller.lastDistribution()));
        assertEq(c.token.totalSupply(), handler.ghostMinted());
    }

    function invariant_BucketsReceivedExactlyWhatWasMinted() public {
        uint256 sum;
        uint256 n = handler.candidateCount();
        for (uint256 i; i < n; ++i) {
            address account = handler.candidates(i);
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
            assertEq(uint256(shares[i]), uint256(handler.ghostShares(i)), "shares");
            IEmissionController.Recipient memory r = c.controller.recipient(IEmissionController.Bucket(i));
            (address account, bool notify) = handler.ghostRecipients(i);
            assertEq(r.account, account, "recipient");
            assertEq(r.notify, notify, "recipient notify");
        }
    }

    /// @dev Issue 15: every accepted share change came 30 days or more after the previous one and moved no
    /// share by more than the step in force; every change the rule allows is accepted, and every other one
    /// refused with the rule's error.
    function invariant_ShareMovesWithinStepPer30Days() public {
        assertFalse(handler.ghostSharesChangedTooSoon(), "two share changes less than 30 days apart");
        assertFalse(handler.ghostShareStepExceeded(), "a share moved by more than the step in force");
        assertFalse(handler.ghostShareChangeOutOfBounds(), "a share change outside the rule was accepted");
        assertFalse(handler.ghostShareChangeRefusedWrongly(), "a share change refused wrongly");
        assertEq(c.controller.lastSharesChange(), handler.ghostLastSharesChange(), "last share change");
        assertLte(handler.ghostLargestMove(), 10_000, "largest move");
    }

    /// @dev Issue 15: a loosening of the step never applies before 30 days (nor by more than 500 bps over
    /// the step in force); a tightening applies at once.
    function invariant_ShareStepLooseningNeverBefore30Days() public {
        (uint256 step, uint256 at) = c.controller.pendingMaxShareStep();
        assertLimitGhost(handler.stepGhost(), c.controller.maxShareStep(), step, at);
    }

    function invariant_SharesSumTo10000() public {
        uint16[5] memory shares = c.controller.shares();
        uint256 sum;
        for (uint256 i; i < 5; ++i) sum += shares[i];
        assertEq(sum, 10_000, "shares do not add up to 10,000");
    }
}
