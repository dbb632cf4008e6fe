// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ICapitalPool} from "../interfaces/ICapitalPool.sol";
import {IEmissionReceiver} from "../interfaces/IEmissionReceiver.sol";
import {Permits} from "../libraries/Permits.sol";

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
contract CapitalPool is ICapitalPool, AccessManaged, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc ICapitalPool
    uint256 public constant PRECISION = 1e18;

    /// @inheritdoc ICapitalPool
    uint256 public constant MIN_REWARDS_DURATION = 1 hours;

    /// @inheritdoc ICapitalPool
    uint256 public constant MAX_REWARDS_DURATION = 365 days;

    /// @inheritdoc ICapitalPool
    uint256 public constant MAX_WITHDRAW_LOCK = 30 days;

    // Storage is laid out by what each operation reads and writes together (gas, issue 13): a claim
    // reads the three global slots below and the caller's two, and writes `_accumulator`, `_ledger` and
    // the caller's second slot; `_stream` (rate, end, stake) is only read.

    /// @dev The accumulator; written by every accrual.
    struct Accumulator {
        uint216 rewardPerToken; // scaled by PRECISION
        uint40 lastUpdate; // last accrual
    }

    /// @dev Rewards held and owed; written by every accrual (carry) and claim (reserved).
    struct Ledger {
        uint128 carry; // wei * PRECISION received but not yet in rewardPerToken
        uint88 reserved; // reward tokens received and not yet paid out
        bool paused; // deposits and claims stopped (here rather than in slot 0: claim reads this slot anyway)
    }

    /// @dev The reward stream and the stake it is spread over; read by every accrual.
    struct Stream {
        uint88 rate; // reward wei per second
        uint40 finish; // end of the stream
        uint128 staked; // sum of all stakes
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

    uint256 private constant _MASK40 = (1 << 40) - 1;
    uint256 private constant _MASK88 = (1 << 88) - 1;
    uint256 private constant _MASK128 = (1 << 128) - 1;
    uint256 private constant _MASK216 = (1 << 216) - 1;

    // These two pack with AccessManaged's field into slot 0.
    /// @inheritdoc ICapitalPool
    uint40 public withdrawLock;
    /// @inheritdoc ICapitalPool
    uint40 public rewardsDuration;

    /// @inheritdoc ICapitalPool
    uint256 public minDeposit;

    Accumulator private _accumulator;
    Ledger private _ledger;
    Stream private _stream;
    mapping(address user => Account) private _accounts;

    /// @dev Deposits and exits stop while paused (claims check the flag they load anyway).
    modifier whenNotPaused() {
        if (_ledger.paused) revert EnforcedPause();
        _;
    }

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
        _accumulator.lastUpdate = uint40(block.timestamp);
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
        Permits.use(stakingToken, amount, deadline, v, r, s);
        _deposit(msg.sender, amount);
    }

    /// @inheritdoc ICapitalPool
    function withdraw(uint256 amount) external nonReentrant {
        _withdraw(msg.sender, amount);
    }

    /// @inheritdoc ICapitalPool
    function claim() external nonReentrant returns (uint256) {
        return _claim(msg.sender, msg.sender);
    }

    /// @inheritdoc ICapitalPool
    function claimTo(address to) external nonReentrant returns (uint256) {
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
        Ledger memory ledger = _ledger;
        uint256 rpt;
        (rpt, ledger.carry) = _accrueCarry(ledger);
        Account memory a = _settle(user, rpt);
        _ledger = ledger;

        uint256 balanceBefore = stakingToken.balanceOf(address(this));
        stakingToken.safeTransferFrom(user, address(this), amount);
        uint256 received = stakingToken.balanceOf(address(this)) - balanceBefore;
        if (received == 0) revert ZeroAmount();
        if (received < minDeposit) revert BelowMinDeposit(received, minDeposit);

        a.stake = _toUint128(a.stake + received);
        a.lastDeposit = uint40(block.timestamp);
        _accounts[user] = a;
        _stream.staked = _toUint128(_stream.staked + received);
        emit Deposited(user, received);
    }

    function _withdraw(address user, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        Account memory a = _accounts[user];
        if (amount > a.stake) revert InsufficientStake(amount, a.stake);
        uint256 unlockAt = uint256(a.lastDeposit) + withdrawLock;
        if (block.timestamp < unlockAt) revert WithdrawLocked(unlockAt);

        Ledger memory ledger = _ledger;
        uint256 rpt;
        (rpt, ledger.carry) = _accrueCarry(ledger);
        a = _settle(user, rpt);
        _ledger = ledger;
        // Cannot underflow: `amount <= a.stake <= staked` (checked above; the total is the sum of stakes).
        unchecked {
            a.stake -= uint128(amount);
            _stream.staked -= uint128(amount);
        }
        _accounts[user] = a;

        uint256 available = stakingToken.balanceOf(address(this));
        uint256 rewardsHeld = _sameToken ? ledger.reserved : 0;
        available = available > rewardsHeld ? available - rewardsHeld : 0;
        uint256 sent = amount < available ? amount : available;
        emit Withdrawn(user, amount, sent);
        stakingToken.safeTransfer(user, sent);
    }

    /// @dev The hot path: the pause check is here, on the `_ledger` word the claim loads anyway, instead
    /// of in a modifier; the account is settled in place so only the fields that change are written.
    function _claim(address user, address to) private returns (uint256 amount) {
        uint256 ledgerWord;
        assembly ("memory-safe") {
            ledgerWord := sload(_ledger.slot)
        }
        if ((ledgerWord >> 216) & 0xff != 0) revert EnforcedPause();
        if (to == address(0)) revert ZeroAddress();
        (uint256 rpt, uint256 carry) = _accrue(ledgerWord & _MASK128);
        Account storage a = _accounts[user];
        uint256 word0; // stake | rewards << 128
        uint256 word1; // paid | lastDeposit << 216
        assembly ("memory-safe") {
            word0 := sload(a.slot)
            word1 := sload(add(a.slot, 1))
        }
        amount = word0 >> 128;
        uint256 paid = word1 & _MASK216;
        if (paid != rpt) {
            amount += _earned(word0 & _MASK128, paid, rpt);
            // As `a.paid = uint216(rpt)`.
            word1 = (word1 & ~_MASK216) | (rpt & _MASK216);
            assembly ("memory-safe") {
                sstore(add(a.slot, 1), word1)
            }
        }
        // Checked: settled rewards are always covered by `reserved` (the accumulator only hands out
        // streamed wei, each of which was added to `reserved` when notified).
        uint256 reserved = ((ledgerWord >> 128) & _MASK88) - amount;
        // `carry` and `reserved` replaced, `paused` kept: as `_ledger.carry = carry` and
        // `_ledger.reserved = reserved` in one store.
        ledgerWord = (ledgerWord & ~_MASK216) | (reserved << 128) | carry;
        assembly ("memory-safe") {
            sstore(_ledger.slot, ledgerWord)
        }
        if (amount == 0) return 0;
        if (word0 >> 128 != 0) a.rewards = 0;
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
        Ledger memory ledger = _ledger;
        (, ledger.carry) = _accrueCarry(ledger);
        Stream memory s = _stream;
        uint256 balance = rewardToken.balanceOf(address(this));
        if (_sameToken) {
            uint256 staked = s.staked;
            balance = balance > staked ? balance - staked : 0;
        }
        if (balance <= ledger.reserved) {
            _ledger = ledger;
            return;
        }
        uint256 added = balance - ledger.reserved;
        _restream(s, ledger, added, rewardsDuration);
        emit RewardsNotified(added, s.rate, s.finish);
    }

    /// @dev Spreads `added` plus the unstreamed rest of `s` over `duration` from now; the division's
    /// remainder goes to `carry` so no wei is dropped. Writes `s` and `ledger` back.
    function _restream(Stream memory s, Ledger memory ledger, uint256 added, uint256 duration) private {
        uint256 leftover = block.timestamp < s.finish ? uint256(s.rate) * (s.finish - block.timestamp) : 0;
        uint256 amount = leftover + added;
        uint256 rate = amount / duration;
        if (amount > rate * duration) {
            ledger.carry = _toUint128(ledger.carry + (amount - rate * duration) * PRECISION);
        }
        s.rate = _toUint88(rate);
        s.finish = uint40(block.timestamp + duration);
        ledger.reserved = _toUint88(ledger.reserved + added);
        _stream = s;
        _ledger = ledger;
    }

    /// @dev Brings the accumulator up to now; returns the current reward per token and the new division
    /// remainder, which the caller writes back to `_ledger` (so a claim writes that slot once).
    /// Reads `_accumulator` and `_stream` as whole words (their layout is declared above: first member
    /// in the low bits) to spare the memory copies of the hot path.
    function _accrue(uint256 carry) private returns (uint256 rpt, uint256 newCarry) {
        uint256 accWord;
        uint256 streamWord;
        assembly ("memory-safe") {
            accWord := sload(_accumulator.slot)
        }
        rpt = accWord & _MASK216;
        newCarry = carry;
        uint256 lastUpdate = accWord >> 216;
        if (block.timestamp == lastUpdate) return (rpt, newCarry);
        assembly ("memory-safe") {
            streamWord := sload(_stream.slot)
        }
        uint256 finish = (streamWord >> 88) & _MASK40;
        if (lastUpdate < finish) {
            uint256 staked = streamWord >> 128;
            if (staked == 0) {
                // Nobody earns: freeze the stream by moving its end by the idle time.
                _stream.finish = uint40(finish + (block.timestamp - lastUpdate));
            } else {
                uint256 inc;
                (inc, newCarry) = _increment(streamWord & _MASK88, finish, staked, lastUpdate, carry);
                // Unchecked: rpt < 2^216 and inc < 2^188 (see `_increment`).
                unchecked {
                    rpt += inc;
                }
            }
        }
        // As `uint216(rpt)` and `uint40(block.timestamp)` in one word (rpt < 2^216: see `Account.paid`).
        accWord = (block.timestamp << 216) | (rpt & _MASK216);
        assembly ("memory-safe") {
            sstore(_accumulator.slot, accWord)
        }
    }

    /// @dev `_accrue` for callers holding `_ledger` in memory.
    function _accrueCarry(Ledger memory ledger) private returns (uint256 rpt, uint128 carry) {
        uint256 c;
        (rpt, c) = _accrue(ledger.carry);
        carry = uint128(c);
    }

    /// @dev Accumulator increment since `lastUpdate` (stake > 0) and the new division remainder.
    function _increment(
        uint256 rate,
        uint256 finish,
        uint256 staked,
        uint256 lastUpdate,
        uint256 carry
    ) private view returns (uint256 inc, uint256 newCarry) {
        uint256 until = block.timestamp < finish ? block.timestamp : finish;
        // Unchecked, none can overflow or underflow: `lastUpdate <= until` (the accrual runs only when
        // `lastUpdate < finish` and `lastUpdate <= now`); rate < 2^88, the time < 2^40 and PRECISION < 2^60,
        // so the product is < 2^188 and adding carry < 2^128 stays far below 2^256; `staked > 0` (the
        // caller's condition); and `inc * staked <= scaled` by the definition of the floor division.
        unchecked {
            uint256 scaled = rate * (until - lastUpdate) * PRECISION + carry;
            inc = scaled / staked;
            newCarry = scaled - inc * staked; // < staked < 2^128
        }
    }

    /// @dev Settles `user`'s earnings up to `rpt`; the caller writes the account back.
    function _settle(address user, uint256 rpt) private view returns (Account memory a) {
        a = _accounts[user];
        if (a.paid != rpt) {
            a.rewards = _toUint128(a.rewards + _earned(a.stake, a.paid, rpt));
            a.paid = uint216(rpt);
        }
    }

    /// @dev What `stake` earned since the accumulator stood at `paid`; floors (under 1 wei per
    /// settlement stays in the pool, counted in `reserved`).
    function _earned(uint256 stake, uint256 paid, uint256 rpt) private pure returns (uint256) {
        return (stake * (rpt - paid)) / PRECISION;
    }

    /*//////////////////////////////////////////////////////////////
                                 GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICapitalPool
    function setRewardsDuration(uint256 duration) external restricted {
        Ledger memory ledger = _ledger;
        (, ledger.carry) = _accrueCarry(ledger);
        _ledger = ledger;
        Stream memory s = _stream;
        _setRewardsDuration(duration);
        if (block.timestamp < s.finish) _restream(s, ledger, 0, duration);
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
        uint256 owed = uint256(_stream.staked) + (_sameToken ? _ledger.reserved : 0);
        uint256 balance = stakingToken.balanceOf(address(this));
        if (balance <= owed) return 0;
        surplus = balance - owed;
        emit Skimmed(to, surplus);
        stakingToken.safeTransfer(to, surplus);
    }

    /// @inheritdoc ICapitalPool
    function pause() external restricted {
        if (_ledger.paused) revert EnforcedPause();
        _ledger.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc ICapitalPool
    function unpause() external restricted {
        if (!_ledger.paused) revert ExpectedPause();
        _ledger.paused = false;
        emit Unpaused(msg.sender);
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
        return _stream.staked;
    }

    /// @inheritdoc ICapitalPool
    function unlockTime(address user) external view returns (uint256) {
        return uint256(_accounts[user].lastDeposit) + withdrawLock;
    }

    /// @inheritdoc ICapitalPool
    function paused() external view returns (bool) {
        return _ledger.paused;
    }

    /// @inheritdoc ICapitalPool
    function rewardStream() external view returns (uint256 rate, uint256 finish, uint256 reserved) {
        Stream memory s = _stream;
        return (s.rate, s.finish, _ledger.reserved);
    }

    /// @inheritdoc ICapitalPool
    function rewardsUnstreamed() external view returns (uint256) {
        Stream memory s = _stream;
        uint256 lastUpdate = _accumulator.lastUpdate;
        if (lastUpdate >= s.finish) return 0;
        if (s.staked == 0) return uint256(s.rate) * (s.finish - lastUpdate);
        return block.timestamp >= s.finish ? 0 : uint256(s.rate) * (s.finish - block.timestamp);
    }

    /// @inheritdoc ICapitalPool
    function rewardCarry() external view returns (uint256 carry) {
        (, carry) = _current();
    }

    /// @dev What `_accrue` would store now: the reward per token and the division remainder.
    function _current() private view returns (uint256 rpt, uint256 carry) {
        Accumulator memory acc = _accumulator;
        Stream memory s = _stream;
        rpt = acc.rewardPerToken;
        carry = _ledger.carry;
        if (block.timestamp > acc.lastUpdate && acc.lastUpdate < s.finish && s.staked > 0) {
            uint256 inc;
            (inc, carry) = _increment(s.rate, s.finish, s.staked, acc.lastUpdate, carry);
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
