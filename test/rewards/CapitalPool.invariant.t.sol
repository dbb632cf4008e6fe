// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {CapitalPool} from "../../contracts/rewards/CapitalPool.sol";
import {EmissionController} from "../../contracts/emission/EmissionController.sol";
import {IEmissionReceiver} from "../../contracts/interfaces/IEmissionReceiver.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {Tetrad} from "../../contracts/token/Tetrad.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {FeeOnTransferToken} from "../../contracts/mocks/FeeOnTransferToken.sol";
import {RebasingToken} from "../../contracts/mocks/RebasingToken.sol";
import {Core, TetradTest} from "../utils/TetradTest.sol";
import {InvariantTargets} from "../utils/InvariantTargets.sol";
import {GovernedHandler, PausableHandler} from "../utils/GovernedHandler.sol";

/// @notice The faucet all three test stake tokens share.
interface IFaucet {
    function mint(address to, uint256 amount) external;
}

/// @notice EIP-2612, for the stake tokens that have it.
interface IPermitToken {
    function nonces(address owner) external view returns (uint256);

    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}

/// @notice Drives the capital pool with four stakers, real emission, donations and time jumps, and
/// governance's settings, pause, recoveries, skims and authority changes; strangers try the governance
/// functions.
contract PoolHandler is PausableHandler {
    uint256 internal constant ACTOR_KEY = 0xA11CE;

    CapitalPool public immutable pool;
    EmissionController public immutable controller;
    Tetrad public immutable token;
    IERC20 public immutable stake;
    bool public immutable stakeHasPermit;
    address public immutable governance;
    MockStakeToken public immutable stray;
    address[4] internal actors;

    uint256 public ghostRewardsIn; // TTD the pool was notified of
    uint256 public ghostUnnotified; // TTD donated to the pool and not yet notified
    uint256 public ghostClaimed; // TTD paid to stakers
    uint256 public ghostSettlements; // account settlements: each may leave < 1 wei of floor dust
    bool public ghostWithdrawFailed;
    bool public ghostStakeLeaked;
    bool public ghostClaimMismatch;
    bool public ghostPausedEntryWorked;
    bool public ghostBelowMinDepositAccepted;
    bool public ghostProtectedTokenRecovered;
    bool public ghostRecoveryMismatch;
    bool public ghostSkimTookStake;
    bool public ghostStrangerChangedSomething;
    uint256 public ghostMinDeposit;
    uint256 public ghostRewardsDuration;
    uint256 public ghostWithdrawLock;
    address public ghostAuthority;

    constructor(
        Core memory c,
        IERC20 stake_,
        bool stakeHasPermit_,
        address governance_,
        TetradAccessManager spare
    ) GovernedHandler(c.manager, spare) {
        pool = c.pool;
        controller = c.controller;
        token = c.token;
        stake = stake_;
        stakeHasPermit = stakeHasPermit_;
        governance = governance_;
        stray = new MockStakeToken("Stray", "STRAY");
        for (uint256 i; i < 4; ++i) {
            actors[i] = vm.addr(ACTOR_KEY + i);
            vm.prank(actors[i]);
            stake_.approve(address(c.pool), type(uint256).max);
        }
        ghostMinDeposit = c.pool.minDeposit();
        ghostRewardsDuration = c.pool.rewardsDuration();
        ghostWithdrawLock = c.pool.withdrawLock();
        ghostAuthority = address(c.manager);
    }

    function actorAt(uint256 i) external view returns (address) {
        return actors[i];
    }

    // ----- stakers -----

    function deposit(uint256 actorSeed, uint256 amount) external {
        address actor = actors[actorSeed % 4];
        amount = bound(amount, 1, 1e24);
        IFaucet(address(stake)).mint(actor, amount);
        uint256 before = pool.balanceOf(actor);
        vm.prank(actor);
        try pool.deposit(amount) {
            _entered(pool.balanceOf(actor) - before);
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev Deposits with a signed permit (the plain token; the others have no `permit`) or with a junk
    /// signature: the pool goes on with the allowance it already has either way.
    function depositWithPermit(uint256 actorSeed, uint256 amount, bool junk) external {
        uint256 i = actorSeed % 4;
        address actor = actors[i];
        amount = bound(amount, 1, 1e24);
        IFaucet(address(stake)).mint(actor, amount);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = (27, bytes32(0), bytes32(0));
        bool signed = stakeHasPermit && !junk;
        if (signed) {
            IPermitToken t = IPermitToken(address(stake));
            bytes32 digest = permitDigest(
                t.DOMAIN_SEPARATOR(),
                actor,
                address(pool),
                amount,
                t.nonces(actor),
                deadline
            );
            (v, r, s) = vm.sign(ACTOR_KEY + i, digest);
        }
        uint256 before = pool.balanceOf(actor);
        vm.prank(actor);
        try pool.depositWithPermit(amount, deadline, v, r, s) {
            _entered(pool.balanceOf(actor) - before);
        } catch {} // solhint-disable-line no-empty-blocks
        if (signed) {
            // The permit replaced the standing approval with `amount`: restore it for plain deposits.
            vm.prank(actor);
            stake.approve(address(pool), type(uint256).max);
        }
    }

    function withdraw(uint256 actorSeed, uint256 amount) external {
        address actor = actors[actorSeed % 4];
        uint256 staked = pool.balanceOf(actor);
        if (staked == 0 || block.timestamp < pool.unlockTime(actor)) return;
        amount = bound(amount, 1, staked);
        _withdrawChecked(actor, amount, false);
    }

    function exit(uint256 actorSeed) external {
        address actor = actors[actorSeed % 4];
        uint256 staked = pool.balanceOf(actor);
        if (staked == 0 || block.timestamp < pool.unlockTime(actor)) return;
        _withdrawChecked(actor, staked, true);
    }

    function claim(uint256 actorSeed) external {
        address actor = actors[actorSeed % 4];
        _claimChecked(actor, actor, false);
    }

    function claimTo(uint256 actorSeed, uint256 toSeed) external {
        address actor = actors[actorSeed % 4];
        address to = toSeed % 5 == 4 ? OUTSIDER : actors[toSeed % 5];
        _claimChecked(actor, to, true);
    }

    /// @dev A staker sends TTD straight to the pool, without a notification: it is streamed at the
    /// next one.
    function donate(uint256 actorSeed, uint256 amount) external {
        address actor = actors[actorSeed % 4];
        amount = bound(amount, 0, token.balanceOf(actor));
        if (amount == 0) return;
        vm.prank(actor);
        token.transfer(address(pool), amount);
        ghostUnnotified += amount;
    }

    function distribute() external {
        uint256 before = token.balanceOf(address(pool));
        controller.distribute();
        uint256 received = token.balanceOf(address(pool)) - before;
        // The controller notifies the pool only when it pays it something; the notification takes the
        // donations too.
        if (received > 0) _notified(received);
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 10 days));
    }

    // ----- governance -----

    function notifyRewards() external {
        vm.prank(governance);
        pool.notifyRewards();
        _notified(0);
    }

    function pause() external {
        _setPaused(governance, address(pool), true);
    }

    function unpause() external {
        _setPaused(governance, address(pool), false);
    }

    function setMinDeposit(uint256 amount) external {
        amount = bound(amount, 0, 1e21);
        vm.prank(governance);
        pool.setMinDeposit(amount);
        ghostMinDeposit = amount;
    }

    function setRewardsDuration(uint256 duration) external {
        duration = bound(duration, 1 hours, 365 days);
        vm.prank(governance);
        pool.setRewardsDuration(duration);
        ghostRewardsDuration = duration;
    }

    function setWithdrawLock(uint256 lock) external {
        lock = bound(lock, 0, 30 days);
        vm.prank(governance);
        pool.setWithdrawLock(lock);
        ghostWithdrawLock = lock;
    }

    /// @dev Governance gives back a token sent to the pool by mistake, and cannot take the stake or the
    /// rewards that way.
    function recoverERC20(uint256 amount, uint256 which) external {
        amount = bound(amount, 1, 1e24);
        stray.mint(address(pool), amount);
        uint256 before = stray.balanceOf(OUTSIDER);
        vm.prank(governance);
        pool.recoverERC20(address(stray), OUTSIDER, amount);
        if (stray.balanceOf(OUTSIDER) - before != amount) ghostRecoveryMismatch = true;
        address protected = which % 2 == 0 ? address(stake) : address(token);
        vm.prank(governance);
        try pool.recoverERC20(protected, OUTSIDER, 1) {
            ghostProtectedTokenRecovered = true;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    /// @dev Stake tokens arrive without a deposit; governance skims them and never more.
    function skim(uint256 amount) external {
        amount = bound(amount, 0, 1e21);
        if (amount > 0) IFaucet(address(stake)).mint(address(pool), amount);
        uint256 balance = stake.balanceOf(address(pool));
        uint256 staked = pool.totalStaked();
        vm.prank(governance);
        uint256 surplus = pool.skim(OUTSIDER);
        if (surplus > (balance > staked ? balance - staked : 0)) ghostSkimTookStake = true;
    }

    /// @dev Moves the pool to the other AccessManager (governance administers both; both let the
    /// controller notify the pool).
    function migrateAuthority() external {
        ghostAuthority = _migrate(governance, address(pool), ghostAuthority);
    }

    /// @dev Someone other than governance tries one governance function; every one must refuse.
    function strangerTries(uint256 callerSeed, uint256 which) external {
        address caller = address(uint160(bound(callerSeed, 1, type(uint160).max)));
        if (caller == governance || caller == address(controller) || _isManager(caller)) return;
        bytes[10] memory calls = [
            abi.encodeCall(CapitalPool.notifyRewards, ()),
            abi.encodeCall(CapitalPool.pause, ()),
            abi.encodeCall(CapitalPool.unpause, ()),
            abi.encodeCall(CapitalPool.setMinDeposit, (0)),
            abi.encodeCall(CapitalPool.setRewardsDuration, (1 hours)),
            abi.encodeCall(CapitalPool.setWithdrawLock, (0)),
            abi.encodeCall(CapitalPool.recoverERC20, (address(stray), caller, 0)),
            abi.encodeCall(CapitalPool.skim, (caller)),
            abi.encodeCall(IAccessManaged.setAuthority, (caller)),
            abi.encodeCall(IEmissionReceiver.onEmission, (3, 0))
        ];
        vm.prank(caller);
        (bool ok, ) = address(pool).call(calls[which % 10]);
        if (ok) ghostStrangerChangedSomething = true;
    }

    // ----- helpers -----

    /// @dev Books a deposit that went through: refused while paused, never under the minimum.
    function _entered(uint256 received) internal {
        ++ghostSettlements;
        if (ghostPaused) ghostPausedEntryWorked = true;
        if (received < ghostMinDeposit) ghostBelowMinDepositAccepted = true;
    }

    function _notified(uint256 received) internal {
        ghostRewardsIn += received + ghostUnnotified;
        ghostUnnotified = 0;
    }

    /// @dev Claims `actor`'s rewards to `to` and checks it paid exactly the pending amount; while paused
    /// the claim must be refused.
    function _claimChecked(address actor, address to, bool useClaimTo) internal {
        uint256 pending = pool.pendingRewards(actor);
        uint256 before = token.balanceOf(to);
        bool ok;
        bytes memory reason;
        vm.prank(actor);
        if (useClaimTo) {
            try pool.claimTo(to) {
                ok = true;
            } catch (bytes memory r) {
                reason = r;
            }
        } else {
            try pool.claim() {
                ok = true;
            } catch (bytes memory r) {
                reason = r;
            }
        }
        if (!ok) {
            if (!ghostPaused || bytes4(reason) != Pausable.EnforcedPause.selector) ghostClaimMismatch = true;
            return;
        }
        if (ghostPaused) ghostPausedEntryWorked = true;
        uint256 paid = token.balanceOf(to) - before;
        if (paid != pending) ghostClaimMismatch = true;
        ghostClaimed += paid;
        ++ghostSettlements;
    }

    /// @dev Withdraws (or exits) and checks that stake tokens went only to `actor`, never failing (exit,
    /// which also claims, is refused while paused; withdraw never is).
    function _withdrawChecked(address actor, uint256 amount, bool isExit) internal {
        uint256[4] memory before;
        for (uint256 i; i < 4; ++i) before[i] = stake.balanceOf(actors[i]);
        uint256 poolBefore = stake.balanceOf(address(pool));
        uint256 pending = pool.pendingRewards(actor);
        uint256 rewardBefore = token.balanceOf(actor);
        vm.prank(actor);
        if (isExit) {
            try pool.exit() {
                if (ghostPaused) ghostPausedEntryWorked = true;
                uint256 paid = token.balanceOf(actor) - rewardBefore;
                if (paid != pending) ghostClaimMismatch = true;
                ghostClaimed += paid;
            } catch (bytes memory reason) {
                if (!ghostPaused || bytes4(reason) != Pausable.EnforcedPause.selector)
                    ghostWithdrawFailed = true;
                return;
            }
        } else {
            try pool.withdraw(amount) {} catch {
                ghostWithdrawFailed = true;
                return;
            }
        }
        ++ghostSettlements;
        uint256 left = poolBefore - stake.balanceOf(address(pool));
        if (left > amount) ghostStakeLeaked = true;
        for (uint256 i; i < 4; ++i) {
            uint256 nowBalance = stake.balanceOf(actors[i]);
            if (actors[i] == actor) {
                // Share-based tokens may show the recipient up to 2 wei more than the sender lost.
                if (nowBalance - before[i] > left + 2) ghostStakeLeaked = true;
            } else if (nowBalance != before[i]) {
                ghostStakeLeaked = true;
            }
        }
    }
}

/// @notice Capital-pool invariants, run once per kind of stake token (plain, fee-on-transfer, rebasing).
abstract contract CapitalPoolInvariantBase is TetradTest, InvariantTargets {
    Core internal c;
    PoolHandler internal handler;
    IERC20 internal stake;

    function stakeToken() internal virtual returns (IERC20 token, bool hasPermit);

    function setUp() public {
        bool hasPermit;
        (stake, hasPermit) = stakeToken();
        c = deployCore(stake, 1 days);
        // A second AccessManager that governance also administers, for authority migrations; it lets
        // the controller notify the pool too.
        TetradAccessManager spare = new TetradAccessManager(address(this));
        bytes4[] memory sel = new bytes4[](1);
        sel[0] = IEmissionReceiver.onEmission.selector;
        spare.setTargetFunctionRole(address(c.pool), sel, DISTRIBUTOR_ROLE);
        spare.grantRole(DISTRIBUTOR_ROLE, address(c.controller), 0);
        handler = new PoolHandler(c, stake, hasPermit, address(this), spare);
    }

    function _targets() internal view override returns (address, bytes memory) {
        // prettier-ignore
        return (address(handler), abi.encodePacked([handler.deposit.selector, handler.withdraw.selector,
            handler.exit.selector, handler.claim.selector, handler.distribute.selector, handler.warp.selector,
            handler.depositWithPermit.selector, handler.claimTo.selector, handler.donate.selector,
            handler.notifyRewards.selector, handler.pause.selector, handler.unpause.selector,
            handler.setMinDeposit.selector, handler.setRewardsDuration.selector,
            handler.setWithdrawLock.selector, handler.recoverERC20.selector, handler.skim.selector,
            handler.migrateAuthority.selector, handler.strangerTries.selector]));
    }

    function _sumStakes() internal view returns (uint256 sum) {
        for (uint256 i; i < 4; ++i) sum += c.pool.balanceOf(handler.actorAt(i));
    }

    function _sumPending() internal view returns (uint256 sum) {
        for (uint256 i; i < 4; ++i) sum += c.pool.pendingRewards(handler.actorAt(i));
    }

    function invariant_StakesSumToTotalAndAreCovered() public {
        assertEq(_sumStakes(), c.pool.totalStaked(), "sum of stakes != totalStaked");
        assertGte(stake.balanceOf(address(c.pool)), c.pool.totalStaked(), "stake not covered by balance");
    }

    function invariant_StakeLeavesOnlyToItsOwner() public {
        assertFalse(handler.ghostStakeLeaked(), "stake tokens went to someone else");
        assertFalse(handler.ghostSkimTookStake(), "a skim took more than the surplus");
    }

    function invariant_WithdrawAlwaysWorksAfterTheLock() public {
        assertFalse(handler.ghostWithdrawFailed(), "an unlocked withdrawal reverted");
    }

    function invariant_ClaimPaysExactlyThePending() public {
        assertFalse(handler.ghostClaimMismatch(), "a claim paid something other than pendingRewards");
    }

    function invariant_RewardsPaidPlusPendingNeverExceedReceived() public {
        (, , uint256 reserved) = c.pool.rewardStream();
        assertEq(reserved, handler.ghostRewardsIn() - handler.ghostClaimed(), "reserved != received - paid");
        assertGte(c.token.balanceOf(address(c.pool)), reserved, "reward balance below obligations");
        assertLte(
            handler.ghostClaimed() + _sumPending(),
            handler.ghostRewardsIn(),
            "paid + pending > received"
        );
    }

    function invariant_RewardDustIsBoundedBySettlements() public {
        uint256 accounted =
            handler.ghostClaimed() + _sumPending() + c.pool.rewardsUnstreamed() + c.pool.rewardCarry() / 1e18;
        uint256 received = handler.ghostRewardsIn();
        assertLte(accounted, received, "accounted rewards exceed received");
        if (accounted > received) return;
        // Each settlement floors one account's share (< 1 wei); the carry's fraction adds < 1 wei;
        // each accrual's division into rate * dt is exact.
        assertLte(received - accounted, handler.ghostSettlements() + 1, "reward dust above bound");
    }

    function invariant_PauseBlocksEntryButNeverExit() public {
        assertEq(c.pool.paused(), handler.ghostPaused(), "paused state");
        assertFalse(handler.ghostPausedEntryWorked(), "a deposit, claim or exit went through while paused");
    }

    function invariant_SettingsChangeOnlyThroughGovernance() public {
        assertFalse(handler.ghostStrangerChangedSomething(), "a stranger called a governance function");
        assertEq(c.pool.minDeposit(), handler.ghostMinDeposit(), "minDeposit");
        assertEq(c.pool.rewardsDuration(), handler.ghostRewardsDuration(), "rewardsDuration");
        assertEq(c.pool.withdrawLock(), handler.ghostWithdrawLock(), "withdrawLock");
        assertEq(IAccessManaged(address(c.pool)).authority(), handler.ghostAuthority(), "authority");
        assertFalse(handler.ghostBelowMinDepositAccepted(), "a deposit under the minimum was accepted");
        assertFalse(handler.ghostProtectedTokenRecovered(), "governance recovered the stake or reward token");
        assertFalse(handler.ghostRecoveryMismatch(), "a recovery paid the wrong amount");
    }
}

contract CapitalPoolPlainInvariantTest is CapitalPoolInvariantBase {
    function stakeToken() internal override returns (IERC20, bool) {
        return (new MockStakeToken("Stake", "STK"), true);
    }
}

contract CapitalPoolFeeOnTransferInvariantTest is CapitalPoolInvariantBase {
    function stakeToken() internal override returns (IERC20, bool) {
        return (new FeeOnTransferToken(100), false); // 1% fee
    }
}

contract CapitalPoolRebasingInvariantTest is CapitalPoolInvariantBase {
    function stakeToken() internal override returns (IERC20, bool) {
        return (new RebasingToken(), false);
    }
}
