// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CapitalPool} from "../../contracts/rewards/CapitalPool.sol";
import {EmissionController} from "../../contracts/emission/EmissionController.sol";
import {Tetrad} from "../../contracts/token/Tetrad.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {FeeOnTransferToken} from "../../contracts/mocks/FeeOnTransferToken.sol";
import {RebasingToken} from "../../contracts/mocks/RebasingToken.sol";
import {Core, FuzzSelector, TetradTest} from "../utils/TetradTest.sol";

/// @notice The faucet all three test stake tokens share.
interface IFaucet {
    function mint(address to, uint256 amount) external;
}

/// @notice Drives the capital pool with four stakers, real emission and time jumps.
contract PoolHandler is TetradTest {
    CapitalPool public immutable pool;
    EmissionController public immutable controller;
    Tetrad public immutable token;
    IERC20 public immutable stake;
    address[4] internal actors;

    uint256 public ghostRewardsIn; // TTD the pool received
    uint256 public ghostClaimed; // TTD paid to stakers
    uint256 public ghostSettlements; // account settlements: each may leave < 1 wei of floor dust
    bool public ghostWithdrawFailed;
    bool public ghostStakeLeaked;
    bool public ghostClaimMismatch;

    constructor(Core memory c, IERC20 stake_) {
        pool = c.pool;
        controller = c.controller;
        token = c.token;
        stake = stake_;
        for (uint256 i; i < 4; ++i) {
            actors[i] = address(uint160(0xA11CE + i));
            vm.prank(actors[i]);
            stake_.approve(address(c.pool), type(uint256).max);
        }
    }

    function actorAt(uint256 i) external view returns (address) {
        return actors[i];
    }

    function deposit(uint256 actorSeed, uint256 amount) external {
        address actor = actors[actorSeed % 4];
        amount = bound(amount, 1, 1e24);
        IFaucet(address(stake)).mint(actor, amount);
        vm.prank(actor);
        try pool.deposit(amount) {
            ++ghostSettlements;
        } catch {} // solhint-disable-line no-empty-blocks
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
        uint256 pending = pool.pendingRewards(actor);
        uint256 before = token.balanceOf(actor);
        vm.prank(actor);
        pool.claim();
        uint256 paid = token.balanceOf(actor) - before;
        if (paid != pending) ghostClaimMismatch = true;
        ghostClaimed += paid;
        ++ghostSettlements;
    }

    function distribute() external {
        uint256 before = token.balanceOf(address(pool));
        controller.distribute();
        ghostRewardsIn += token.balanceOf(address(pool)) - before;
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 10 days));
    }

    /// @dev Withdraws (or exits) and checks that stake tokens went only to `actor`, never failing.
    function _withdrawChecked(address actor, uint256 amount, bool isExit) internal {
        uint256[4] memory before;
        for (uint256 i; i < 4; ++i) before[i] = stake.balanceOf(actors[i]);
        uint256 poolBefore = stake.balanceOf(address(pool));
        uint256 pending = pool.pendingRewards(actor);
        uint256 rewardBefore = token.balanceOf(actor);
        vm.prank(actor);
        if (isExit) {
            try pool.exit() {
                uint256 paid = token.balanceOf(actor) - rewardBefore;
                if (paid != pending) ghostClaimMismatch = true;
                ghostClaimed += paid;
            } catch {
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
abstract contract CapitalPoolInvariantBase is TetradTest {
    Core internal c;
    PoolHandler internal handler;
    IERC20 internal stake;

    function stakeToken() internal virtual returns (IERC20);

    function setUp() public {
        stake = stakeToken();
        c = deployCore(stake, 1 days);
        handler = new PoolHandler(c, stake);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory s) {
        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = PoolHandler.deposit.selector;
        selectors[1] = PoolHandler.withdraw.selector;
        selectors[2] = PoolHandler.exit.selector;
        selectors[3] = PoolHandler.claim.selector;
        selectors[4] = PoolHandler.distribute.selector;
        selectors[5] = PoolHandler.warp.selector;
        s = new FuzzSelector[](1);
        s[0] = FuzzSelector(address(handler), selectors);
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
}

contract CapitalPoolPlainInvariantTest is CapitalPoolInvariantBase {
    function stakeToken() internal override returns (IERC20) {
        return new MockStakeToken("Stake", "STK");
    }
}

contract CapitalPoolFeeOnTransferInvariantTest is CapitalPoolInvariantBase {
    function stakeToken() internal override returns (IERC20) {
        return new FeeOnTransferToken(100); // 1% fee
    }
}

contract CapitalPoolRebasingInvariantTest is CapitalPoolInvariantBase {
    function stakeToken() internal override returns (IERC20) {
        return new RebasingToken();
    }
}
