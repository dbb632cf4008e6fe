// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Treasury} from "../../contracts/governance/Treasury.sol";
import {ITreasury} from "../../contracts/interfaces/ITreasury.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {LimitGhost, LimitGhosts, TetradTest} from "../utils/TetradTest.sol";
import {InvariantTargets} from "../utils/InvariantTargets.sol";

/// @notice Drives a Treasury's release rate limit (issue 15): time jumps of up to 40 days (some exactly to
/// a window boundary or to a scheduled loosening, or one second before), deposits into the fund,
/// governance releases of random amounts (at, above and below `releasable`), limit tightenings, loosenings
/// (valid and too large), and strangers trying the governance functions. Two tokens, so the windows are
/// per token.
/// @dev The ghost model, from the contract's definition: time is cut into aligned 30-day windows
/// (`t / 30 days`); a release at `t` in window `k` is accepted iff `recent + amount <= floor((balance +
/// recent) * bps / 10_000)` (and `amount <= balance`), where `recent` is what was released of that token in
/// windows `k - 1` and `k` since the limit was last set from 10,000 (unlimited) to below it, and `bps` is
/// the limit in force at `t`. A tightening applies at once and cancels a scheduled loosening; a loosening
/// (at most 500 over the limit in force) applies 30 days after it is set.
contract TreasuryHandler is TetradTest {
    using LimitGhosts for LimitGhost;

    uint256 internal constant WINDOW = 30 days;
    uint256 internal constant MAX_LOOSENING = 500;
    address internal constant PAYEE = address(0xBEEF);

    Treasury public immutable treasury;
    address public immutable governance;
    TetradAccessManager public immutable manager;
    MockStakeToken[2] internal tokens;

    struct Release {
        uint64 at;
        uint32 era;
        uint256 amount;
    }

    /// @dev Every successful release, per token index.
    mapping(uint256 tokenIndex => Release[]) internal releases;
    mapping(uint256 tokenIndex => uint256) public ghostDeposited;
    mapping(uint256 tokenIndex => uint256) public ghostReleased;

    /// @dev The limit (bps) as the ghost sees it.
    LimitGhost internal releaseLimit;
    /// @dev Bumped when the limit is set from 10,000 to below it: earlier releases stop counting.
    uint256 public ghostEra;

    bool public ghostReleaseAboveReleasable;
    bool public ghostReleasableWrong;
    bool public ghostReleaseRefusedWithinLimit;
    bool public ghostWindowLimitBroken;
    bool public ghostThirtyDayLimitBroken;
    bool public ghostStrangerChangedSomething;

    // Coverage counters (what the campaign reached).
    uint256 public releasesMade;
    uint256 public releasesAtTheLimit;
    uint256 public releasesRefused;
    uint256 public tightenings;

    constructor(
        Treasury treasury_,
        TetradAccessManager manager_,
        address governance_,
        MockStakeToken[2] memory t
    ) {
        treasury = treasury_;
        manager = manager_;
        governance = governance_;
        tokens = t;
        releaseLimit.inForce = BPS;
        // What the fund already holds counts as deposited.
        for (uint256 i; i < 2; ++i) ghostDeposited[i] = t[i].balanceOf(address(treasury_));
    }

    /// @dev Applies a loosening whose time has come, then compares the limit with the contract's: it may
    /// never be above the ghost's (a loosening applied early), nor differ at all.
    modifier synced() {
        _sync();
        _;
    }

    // ----- anyone -----

    function warp(uint256 seed) external {
        uint256 mode = seed % 8;
        uint256 dt;
        if (mode == 0 && releaseLimit.pendingAt > block.timestamp) {
            // Exactly when the scheduled loosening applies, or one second before.
            dt = releaseLimit.pendingAt - block.timestamp - ((seed >> 3) % 2);
        } else if (mode == 1) {
            // Exactly to the next window's start, or one second before.
            dt = WINDOW - (block.timestamp % WINDOW) - ((seed >> 3) % 2);
        } else {
            dt = bound(seed >> 3, 1, 40 days);
        }
        vm.warp(block.timestamp + dt);
        _sync();
    }

    function deposit(uint256 tokenSeed, uint256 amount) external synced {
        uint256 t = tokenSeed % 2;
        amount = tokenSeed % 4 < 2 ? bound(amount, 1, 1_000 ether) : bound(amount, 1, 1e9 ether);
        tokens[t].mint(address(treasury), amount);
        ghostDeposited[t] += amount;
    }

    // ----- governance -----

    function release(uint256 tokenSeed, uint256 amountSeed) external synced {
        uint256 t = tokenSeed % 2;
        IERC20 token = IERC20(address(tokens[t]));
        uint256 balance = token.balanceOf(address(treasury));
        uint256 releasable = treasury.releasable(token);
        (uint256 recent, uint256 limit, uint256 available) = _ghostWindow(t);
        if (releasable != available) ghostReleasableWrong = true;

        uint256 amount;
        uint256 mode = amountSeed % 4;
        if (mode == 0)
            amount = releasable; // exactly the limit
        else if (mode == 1)
            amount = releasable + 1; // one above it
        else if (mode == 2) amount = bound(amountSeed >> 2, 1, releasable > 0 ? releasable : 1);
        else amount = bound(amountSeed >> 2, 1, balance + 1); // anything up to the whole holding
        if (amount == 0) amount = 1;

        vm.prank(governance);
        try treasury.release(token, PAYEE, amount) {
            ++releasesMade;
            if (amount == releasable) ++releasesAtTheLimit;
            if (amount > releasable) ghostReleaseAboveReleasable = true;
            // The contract's rule: what this and the previous window released, this release included, is at
            // most the limit in force times the holdings before those releases.
            if (recent + amount > limit || amount > balance) ghostWindowLimitBroken = true;
            releases[t].push(Release(uint64(block.timestamp), uint32(ghostEra), amount));
            ghostReleased[t] += amount;
            // Any 30 days: (now - 30 days, now] lies in this window and the previous one, so what it
            // released (this release included) is bounded by the same limit.
            if (_releasedInLast30Days(t) > limit) ghostThirtyDayLimitBroken = true;
        } catch (bytes memory reason) {
            ++releasesRefused;
            // Refused only above the limit, and then with ReleaseLimitExceeded.
            if (amount <= available || bytes4(reason) != ITreasury.ReleaseLimitExceeded.selector)
                ghostReleaseRefusedWithinLimit = true;
        }
    }

    function setMaxReleaseBps(uint256 seed) external synced {
        // Up to 1,000 tighter, or within 2,000 under the largest loosening allowed.
        (uint256 bps, uint256 cap) = limitCandidate(seed, releaseLimit.inForce, MAX_LOOSENING, 1_000, 2_000);
        bool valid = bps <= cap;

        vm.prank(governance);
        try treasury.setMaxReleaseBps(bps) {
            if (bps <= releaseLimit.inForce) {
                if (releaseLimit.inForce == BPS && bps < BPS) ++ghostEra; // releases made unlimited stop counting
                ++tightenings;
            }
            releaseLimit.accepted(bps, valid, WINDOW);
        } catch (bytes memory reason) {
            releaseLimit.refused(valid, reason, ITreasury.InvalidMaxReleaseBps.selector);
        }
        _sync();
    }

    // ----- strangers -----

    /// @dev Someone other than governance tries a governance function; every one must refuse (a tightening
    /// to 0 by a stranger would freeze the fund).
    function strangerTries(uint256 callerSeed, uint256 which) external {
        address caller = address(uint160(bound(callerSeed, 1, type(uint160).max)));
        // (An AccessManager may call setAuthority on what it governs: the authority is not a stranger.)
        if (caller == governance || caller == address(manager)) return;
        bytes memory call;
        which %= 4;
        if (which == 0) call = abi.encodeCall(Treasury.release, (IERC20(address(tokens[0])), caller, 1));
        else if (which == 1) call = abi.encodeCall(Treasury.setMaxReleaseBps, (0));
        else if (which == 2)
            call = abi.encodeCall(
                Treasury.setMaxReleaseBps,
                (releaseLimit.inForce + 1 > BPS ? BPS : releaseLimit.inForce + 1)
            );
        else call = abi.encodeCall(IAccessManaged.setAuthority, (caller));
        vm.prank(caller);
        (bool ok, ) = address(treasury).call(call);
        if (ok) ghostStrangerChangedSomething = true;
    }

    // ----- views for the invariants -----

    function limitGhost() external view returns (LimitGhost memory) {
        return releaseLimit;
    }

    function tokenAt(uint256 i) external view returns (IERC20) {
        return IERC20(address(tokens[i]));
    }

    function ghostAvailable(uint256 t) external view returns (uint256 available) {
        (, , available) = _ghostWindow(t);
    }

    // ----- helpers -----

    function _sync() internal {
        releaseLimit.sync(treasury.maxReleaseBps());
    }

    /// @dev What token `t` released in this window and the previous one (this era), the limit on them
    /// and what a release may still take, from the ghost's own record.
    function _ghostWindow(
        uint256 t
    ) internal view returns (uint256 recent, uint256 limit, uint256 available) {
        uint256 k = block.timestamp / WINDOW;
        Release[] storage rs = releases[t];
        for (uint256 i; i < rs.length; ++i) {
            if (rs[i].era != ghostEra) continue;
            uint256 w = rs[i].at / WINDOW;
            if (w == k || w + 1 == k) recent += rs[i].amount;
        }
        uint256 balance = tokens[t].balanceOf(address(treasury));
        limit = ((balance + recent) * releaseLimit.inForce) / BPS;
        available = limit > recent ? limit - recent : 0;
        if (available > balance) available = balance;
    }

    /// @dev What token `t` released in `(now - 30 days, now]` (this era).
    function _releasedInLast30Days(uint256 t) internal view returns (uint256 sum) {
        Release[] storage rs = releases[t];
        for (uint256 i; i < rs.length; ++i) {
            if (rs[i].era == ghostEra && rs[i].at + WINDOW > block.timestamp) sum += rs[i].amount;
        }
    }
}

/// @notice Treasury rate-limit invariants (issue 15): no release above `releasable`; what the current and
/// the previous window released never exceeds the limit in force times the holdings before them, nor does
/// what any 30 days released; a release within the limit is never refused; a loosening never applies
/// before 30 days (nor by more than 500 bps); the holdings are the deposits less the releases; only
/// governance releases or sets the limit.
contract TreasuryInvariantTest is TetradTest, InvariantTargets {
    TetradAccessManager internal manager;
    Treasury internal treasury;
    TreasuryHandler internal handler;

    function setUp() public {
        manager = new TetradAccessManager(address(this));
        // A new Treasury is unlimited (10,000 bps), as the escrows are; the first tightening starts an era.
        treasury = new Treasury(address(manager));
        MockStakeToken[2] memory t = [new MockStakeToken("A", "A"), new MockStakeToken("B", "B")];
        t[0].mint(address(treasury), 1_000_000 ether);
        t[1].mint(address(treasury), 1_000 ether);
        handler = new TreasuryHandler(treasury, manager, address(this), t);
    }

    function _targets() internal view override returns (address, bytes memory) {
        // prettier-ignore
        return (address(handler), abi.encodePacked([handler.warp.selector, handler.deposit.selector,
            handler.release.selector, handler.setMaxReleaseBps.selector, handler.strangerTries.selector]));
    }

    function invariant_NoReleaseAboveReleasable() public {
        assertFalse(handler.ghostReleaseAboveReleasable(), "a release took more than releasable just before");
        assertFalse(handler.ghostReleasableWrong(), "releasable differed from the limit's rule");
        for (uint256 i; i < 2; ++i) {
            assertEq(treasury.releasable(handler.tokenAt(i)), handler.ghostAvailable(i), "releasable now");
        }
    }

    function invariant_WindowReleasesWithinLimitOfHoldings() public {
        assertFalse(
            handler.ghostWindowLimitBroken(),
            "current + previous window released more than bps x (holdings + recent)"
        );
    }

    function invariant_Any30DaysReleaseWithinLimit() public {
        assertFalse(handler.ghostThirtyDayLimitBroken(), "a 30-day span released more than the limit");
    }

    function invariant_ReleaseWithinLimitNeverRefused() public {
        assertFalse(handler.ghostReleaseRefusedWithinLimit(), "a release within the limit was refused");
    }

    function invariant_LimitLooseningNeverBefore30Days() public {
        (uint256 bps, uint256 at) = treasury.pendingMaxReleaseBps();
        assertLimitGhost(handler.limitGhost(), treasury.maxReleaseBps(), bps, at);
    }

    function invariant_HoldingsAreDepositsLessReleases() public {
        for (uint256 i; i < 2; ++i) {
            IERC20 token = handler.tokenAt(i);
            assertEq(
                token.balanceOf(address(treasury)),
                handler.ghostDeposited(i) - handler.ghostReleased(i),
                "holdings"
            );
            assertEq(token.balanceOf(address(0xBEEF)), handler.ghostReleased(i), "paid out");
        }
    }

    function invariant_OnlyGovernanceReleasesOrSetsTheLimit() public {
        assertFalse(handler.ghostStrangerChangedSomething(), "a stranger called a governance function");
        assertEq(IAccessManaged(address(treasury)).authority(), address(manager), "authority");
    }
}
