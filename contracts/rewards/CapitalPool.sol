// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ICapitalPool} from "../interfaces/ICapitalPool.sol";
import {IEmissionReceiver} from "../interfaces/IEmissionReceiver.sol";

/// @title CapitalPool
/// @notice Stakers of one token (an LP or liquid-staking token, or TTD itself) earn the capital bucket
/// pro rata to stake and time, with a reward-per-token accumulator (Synthetix StakingRewards, tightened).
///
/// Rewards: the emission controller mints the capital bucket here and calls `onEmission`; the pool
/// streams whatever it holds beyond its obligations linearly over `rewardsDuration` (what is left of
/// the stream under way is re-spread with it), so a deposit placed just before a distribution earns
/// only from then on. While nobody is staked the stream is frozen, not lost: its end moves by the idle
/// time. Intake is by balance (`balance - reserved`), so tokens that arrive without a hook are streamed
/// at the next notification instead of being stranded.
///
/// Exact accounting: the accumulator carries the remainder of every division (`carry`, in wei * 1e18),
/// so the only rounding loss is the floor of each account's settlement: under 1 wei per settlement,
/// left in the pool and counted in `reserved`.
///
/// Stake intake credits the balance actually received (fee-on-transfer and 1-wei-rounding tokens);
/// withdrawals pay at most what the pool holds, so the last staker of a token whose balance shrank is
/// never locked out.
contract CapitalPool is ICapitalPool, AccessManaged, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Scale of `rewardPerToken` and of `carry`.
    uint256 public constant PRECISION = 1e18;

    /// @notice Shortest streaming duration governance can set.
    uint256 public constant MIN_REWARDS_DURATION = 1 hours;

    /// @notice Longest streaming duration governance can set.
    uint256 public constant MAX_REWARDS_DURATION = 365 days;

    /// @notice Longest withdraw lock governance can set, so stake can never be locked for long.
    uint256 public constant MAX_WITHDRAW_LOCK = 30 days;

    /// @dev The reward stream; one slot read and written by every accrual.
    struct Stream {
        uint88 rate; // reward wei per second
        uint40 lastUpdate; // last accrual
        uint40 finish; // end of the stream
        uint88 reserved; // reward tokens received and not yet paid out
    }

    /// @dev Stake totals and the accumulator's division remainder; one slot.
    struct Totals {
        uint128 staked;
        uint128 carry; // wei * PRECISION received but not yet in rewardPerToken
    }

    /// @dev One staker; two slots.
    struct Account {
        uint128 stake;
        uint128 rewards; // settled, unclaimed
        uint216 paid; // rewardPerToken at the last settlement
        uint40 lastDeposit;
    }

    /// @inheritdoc ICapitalPool
    IERC20 public immutable stakingToken;

    /// @inheritdoc ICapitalPool
    IERC20 public immutable rewardToken;

    bool private immutable _sameToken;

    // These two pack with AccessManaged's and Pausable's fields into slot 0.
    /// @notice Seconds a deposit stays locked before its owner can withdraw.
    uint40 public withdrawLock;
    /// @notice Seconds over which newly received rewards are streamed.
    uint40 public rewardsDuration;

    /// @notice Smallest deposit accepted, in staking-token wei as received.
    uint256 public minDeposit;

    uint256 private _rewardPerTokenStored;
    Stream private _stream;
    Totals private _totals;
    mapping(address user => Account) private _accounts;

    /// @param authority The AccessManager guarding the governance functions and `onEmission`.
    /// @param stakingToken_ The token users stake.
    /// @param rewardToken_ The token paid as rewards (TTD).
    /// @param rewardsDuration_ Streaming duration in seconds.
    /// @param minDeposit_ Smallest deposit.
    /// @param withdrawLock_ Lock after each deposit, in seconds.
    constructor(
        address authority,
        IERC20 stakingToken_,
        IERC20 rewardToken_,
        uint256 rewardsDuration_,
        uint256 minDeposit_,
        uint256 withdrawLock_
    ) AccessManaged(authority) {
        if (address(stakingToken_) == address(0) || address(rewardToken_) == address(0)) revert ZeroAddress();
        stakingToken = stakingToken_;
        rewardToken = rewardToken_;
        _sameToken = stakingToken_ == rewardToken_;
        _setRewardsDuration(rewardsDuration_);
        _setMinDeposit(minDeposit_);
        _setWithdrawLock(withdrawLock_);
        _stream.lastUpdate = uint40(block.timestamp);
    }

    /*//////////////////////////////////////////////////////////////
                               USER ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICapitalPool
    function deposit(uint256 amount) external nonReentrant whenNotPaused {
        _deposit(msg.sender, amount);
    }

    /// @inheritdoc ICapitalPool
    function depositWithPermit(
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused {
        // A front-run permit has already set the allowance: go on if it did.
        /* solhint-disable no-empty-blocks */
        try
            IERC20Permit(address(stakingToken)).permit(msg.sender, address(this), amount, deadline, v, r, s)
        {} catch {}
        /* solhint-enable no-empty-blocks */
        _deposit(msg.sender, amount);
    }

    /// @inheritdoc ICapitalPool
    function withdraw(uint256 amount) external nonReentrant {
        _withdraw(msg.sender, amount);
    }

    /// @inheritdoc ICapitalPool
    function claim() external nonReentrant whenNotPaused returns (uint256) {
        return _claim(msg.sender, msg.sender);
    }

    /// @inheritdoc ICapitalPool
    function claimTo(address to) external nonReentrant whenNotPaused returns (uint256) {
        return _claim(msg.sender, to);
    }

    /// @inheritdoc ICapitalPool
    function exit() external nonReentrant whenNotPaused {
        uint256 stake = _accounts[msg.sender].stake;
        if (stake > 0) _withdraw(msg.sender, stake);
        _claim(msg.sender, msg.sender);
    }

    /// @dev Credits the balance actually received; the balance check needs the transfer first, which
    /// `nonReentrant` on every entry point makes safe.
    function _deposit(address user, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        Account memory a = _settle(user, _accrue());

        uint256 balanceBefore = stakingToken.balanceOf(address(this));
        stakingToken.safeTransferFrom(user, address(this), amount);
        uint256 received = stakingToken.balanceOf(address(this)) - balanceBefore;
        if (received == 0) revert ZeroAmount();
        if (received < minDeposit) revert BelowMinDeposit(received, minDeposit);

        a.stake = _toUint128(a.stake + received);
        a.lastDeposit = uint40(block.timestamp);
        _accounts[user] = a;
        _totals.staked = _toUint128(_totals.staked + received);
        emit Deposited(user, received);
    }

    function _withdraw(address user, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        Account memory a = _accounts[user];
        if (amount > a.stake) revert InsufficientStake(amount, a.stake);
        uint256 unlockAt = uint256(a.lastDeposit) + withdrawLock;
        if (block.timestamp < unlockAt) revert WithdrawLocked(unlockAt);

        a = _settle(user, _accrue());
        a.stake -= uint128(amount);
        _accounts[user] = a;
        _totals.staked -= uint128(amount);

        uint256 available = stakingToken.balanceOf(address(this));
        uint256 rewardsHeld = _sameToken ? _stream.reserved : 0;
        available = available > rewardsHeld ? available - rewardsHeld : 0;
        uint256 sent = amount < available ? amount : available;
        emit Withdrawn(user, amount, sent);
        stakingToken.safeTransfer(user, sent);
    }

    function _claim(address user, address to) private returns (uint256 amount) {
        if (to == address(0)) revert ZeroAddress();
        Account memory a = _settle(user, _accrue());
        amount = a.rewards;
        a.rewards = 0;
        _accounts[user] = a;
        if (amount == 0) return 0;
        _stream.reserved -= uint88(amount);
        emit RewardPaid(user, to, amount);
        rewardToken.safeTransfer(to, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                  REWARDS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEmissionReceiver
    /// @dev Granted to the emission controller through the AccessManager.
    function onEmission(uint256, uint256) external restricted {
        _notifyRewards();
    }

    /// @inheritdoc ICapitalPool
    function notifyRewards() external restricted {
        _notifyRewards();
    }

    /// @dev Streams `balance - reserved` together with what is left of the current stream.
    function _notifyRewards() private {
        _accrue();
        Stream memory s = _stream;
        uint256 balance = rewardToken.balanceOf(address(this));
        if (_sameToken) {
            uint256 staked = _totals.staked;
            balance = balance > staked ? balance - staked : 0;
        }
        if (balance <= s.reserved) return;
        uint256 added = balance - s.reserved;
        _restream(s, added, rewardsDuration);
        emit RewardsNotified(added, s.rate, s.finish);
    }

    /// @dev Spreads `added` plus the unstreamed rest of `s` over `duration` from now; the division's
    /// remainder goes to `carry` so no wei is dropped. Writes `s` back.
    function _restream(Stream memory s, uint256 added, uint256 duration) private {
        uint256 leftover = block.timestamp < s.finish ? uint256(s.rate) * (s.finish - block.timestamp) : 0;
        uint256 amount = leftover + added;
        uint256 rate = amount / duration;
        if (amount > rate * duration) {
            _totals.carry = _toUint128(_totals.carry + (amount - rate * duration) * PRECISION);
        }
        s.rate = _toUint88(rate);
        s.finish = uint40(block.timestamp + duration);
        s.reserved = _toUint88(s.reserved + added);
        _stream = s;
    }

    /// @dev Brings the accumulator up to now; returns the current reward per token.
    function _accrue() private returns (uint256 rpt) {
        Stream memory s = _stream;
        rpt = _rewardPerTokenStored;
        if (block.timestamp == s.lastUpdate) return rpt;
        if (s.lastUpdate < s.finish) {
            Totals memory t = _totals;
            if (t.staked == 0) {
                // Nobody earns: freeze the stream by moving its end by the idle time.
                s.finish += uint40(block.timestamp - s.lastUpdate);
            } else {
                uint256 inc;
                (inc, t.carry) = _increment(s, t);
                rpt += inc;
                _rewardPerTokenStored = rpt;
                _totals.carry = t.carry;
            }
        }
        s.lastUpdate = uint40(block.timestamp);
        _stream = s;
    }

    /// @dev Accumulator increment since `s.lastUpdate` (stake > 0) and the new division remainder.
    function _increment(Stream memory s, Totals memory t) private view returns (uint256 inc, uint128 carry) {
        uint256 until = block.timestamp < s.finish ? block.timestamp : s.finish;
        uint256 scaled = uint256(s.rate) * (until - s.lastUpdate) * PRECISION + t.carry;
        inc = scaled / t.staked;
        carry = uint128(scaled - inc * t.staked);
    }

    /// @dev Settles `user`'s earnings up to `rpt`; the caller writes the account back.
    function _settle(address user, uint256 rpt) private view returns (Account memory a) {
        a = _accounts[user];
        if (a.paid != rpt) {
            a.rewards = _toUint128(a.rewards + (uint256(a.stake) * (rpt - a.paid)) / PRECISION);
            a.paid = uint216(rpt);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICapitalPool
    function setRewardsDuration(uint256 duration) external restricted {
        _accrue();
        Stream memory s = _stream;
        _setRewardsDuration(duration);
        if (block.timestamp < s.finish) _restream(s, 0, duration);
    }

    /// @inheritdoc ICapitalPool
    function setMinDeposit(uint256 minDeposit_) external restricted {
        _setMinDeposit(minDeposit_);
    }

    /// @inheritdoc ICapitalPool
    function setWithdrawLock(uint256 lock) external restricted {
        _setWithdrawLock(lock);
    }

    /// @inheritdoc ICapitalPool
    function recoverERC20(address token, address to, uint256 amount) external restricted {
        if (token == address(stakingToken) || token == address(rewardToken)) revert UnrecoverableToken(token);
        if (to == address(0)) revert ZeroAddress();
        emit Recovered(token, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @inheritdoc ICapitalPool
    function skim(address to) external restricted returns (uint256 surplus) {
        if (to == address(0)) revert ZeroAddress();
        uint256 owed = uint256(_totals.staked) + (_sameToken ? _stream.reserved : 0);
        uint256 balance = stakingToken.balanceOf(address(this));
        if (balance <= owed) return 0;
        surplus = balance - owed;
        emit Skimmed(to, surplus);
        stakingToken.safeTransfer(to, surplus);
    }

    /// @inheritdoc ICapitalPool
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc ICapitalPool
    function unpause() external restricted {
        _unpause();
    }

    function _setRewardsDuration(uint256 duration) private {
        if (duration < MIN_REWARDS_DURATION || duration > MAX_REWARDS_DURATION) {
            revert InvalidRewardsDuration(duration);
        }
        rewardsDuration = uint40(duration);
        emit RewardsDurationUpdated(duration);
    }

    function _setMinDeposit(uint256 minDeposit_) private {
        _toUint128(minDeposit_);
        minDeposit = minDeposit_;
        emit MinDepositUpdated(minDeposit_);
    }

    function _setWithdrawLock(uint256 lock) private {
        if (lock > MAX_WITHDRAW_LOCK) revert InvalidWithdrawLock(lock);
        withdrawLock = uint40(lock);
        emit WithdrawLockUpdated(lock);
    }

    /*//////////////////////////////////////////////////////////////
                                   VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICapitalPool
    function rewardPerToken() public view returns (uint256 rpt) {
        (rpt, ) = _current();
    }

    /// @inheritdoc ICapitalPool
    function pendingRewards(address user) external view returns (uint256) {
        return _settle(user, rewardPerToken()).rewards;
    }

    /// @inheritdoc ICapitalPool
    function balanceOf(address user) external view returns (uint256) {
        return _accounts[user].stake;
    }

    /// @inheritdoc ICapitalPool
    function totalStaked() external view returns (uint256) {
        return _totals.staked;
    }

    /// @inheritdoc ICapitalPool
    function unlockTime(address user) external view returns (uint256) {
        return uint256(_accounts[user].lastDeposit) + withdrawLock;
    }

    /// @notice The current stream: rate (wei/s), its end, and rewards received but not yet paid out.
    function rewardStream() external view returns (uint256 rate, uint256 finish, uint256 reserved) {
        Stream memory s = _stream;
        return (s.rate, s.finish, s.reserved);
    }

    /// @notice Rewards received and not yet streamed to stakers (the stream is frozen while nobody stakes).
    function rewardsUnstreamed() external view returns (uint256) {
        Stream memory s = _stream;
        if (s.lastUpdate >= s.finish) return 0;
        if (_totals.staked == 0) return uint256(s.rate) * (s.finish - s.lastUpdate);
        return block.timestamp >= s.finish ? 0 : uint256(s.rate) * (s.finish - block.timestamp);
    }

    /// @notice Reward wei * 1e18 received but not yet credited to the accumulator (division remainders),
    /// as of now: consistent with `rewardPerToken()` and `pendingRewards()`.
    function rewardCarry() external view returns (uint256 carry) {
        (, carry) = _current();
    }

    /// @dev What `_accrue` would store now: the reward per token and the division remainder.
    function _current() private view returns (uint256 rpt, uint256 carry) {
        rpt = _rewardPerTokenStored;
        Stream memory s = _stream;
        Totals memory t = _totals;
        carry = t.carry;
        if (block.timestamp > s.lastUpdate && s.lastUpdate < s.finish && t.staked > 0) {
            uint256 inc;
            (inc, carry) = _increment(s, t);
            rpt += inc;
        }
    }

    function _toUint128(uint256 x) private pure returns (uint128) {
        if (x > type(uint128).max) revert AmountTooLarge(x);
        return uint128(x);
    }

    function _toUint88(uint256 x) private pure returns (uint88) {
        if (x > type(uint88).max) revert AmountTooLarge(x);
        return uint88(x);
    }
}
