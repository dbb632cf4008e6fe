// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IEmissionReceiver} from "./IEmissionReceiver.sol";
import {IPermitErrors} from "./IPermitErrors.sol";

/// @title ICapitalPool
/// @notice Stakers of one token earn the capital bucket pro rata to stake and time.
interface ICapitalPool is IEmissionReceiver, IPermitErrors {
    /// @notice `user` deposited; `received` is what the pool actually got (after any transfer fee).
    event Deposited(address indexed user, uint256 received);

    /// @notice `user` withdrew `amount` of its stake; the pool sent `sent` (less only if the token's
    /// balance fell short of the accounted stake, e.g. a negative rebase).
    event Withdrawn(address indexed user, uint256 amount, uint256 sent);

    /// @notice `user` claimed `amount` of rewards, paid to `to`.
    event RewardPaid(address indexed user, address indexed to, uint256 amount);

    /// @notice New rewards `added` are streamed from now on at `rate` wei per second until `finish`.
    event RewardsNotified(uint256 added, uint256 rate, uint256 finish);

    /// @notice The streaming duration for future notifications changed (the current stream is re-spread).
    event RewardsDurationUpdated(uint256 duration);

    /// @notice The minimum accepted deposit changed.
    event MinDepositUpdated(uint256 minDeposit);

    /// @notice The lock between a deposit and a withdrawal changed.
    event WithdrawLockUpdated(uint256 lock);

    /// @notice Governance recovered `amount` of an unrelated `token` sent to the pool by mistake.
    event Recovered(address indexed token, address indexed to, uint256 amount);

    /// @notice Governance sent `amount` of staking-token surplus (beyond all stakes) to `to`.
    event Skimmed(address indexed to, uint256 amount);

    /// @notice Deposits and claims were stopped by `account` (same event as OpenZeppelin's Pausable).
    event Paused(address account);

    /// @notice Deposits and claims were resumed by `account` (same event as OpenZeppelin's Pausable).
    event Unpaused(address account);

    /// @notice The pool is paused: deposits and claims are stopped (OpenZeppelin's Pausable error).
    error EnforcedPause();

    /// @notice `unpause` was called while the pool is not paused (OpenZeppelin's Pausable error).
    error ExpectedPause();

    /// @notice An amount of zero was given where a positive one is required.
    error ZeroAmount();

    /// @notice The deposit (as received) is below the minimum.
    error BelowMinDeposit(uint256 received, uint256 minDeposit);

    /// @notice A withdrawal larger than the caller's stake.
    error InsufficientStake(uint256 requested, uint256 stake);

    /// @notice The caller's last deposit is still locked until `unlockAt`.
    error WithdrawLocked(uint256 unlockAt);

    /// @notice The streaming duration is outside `[MIN_REWARDS_DURATION, MAX_REWARDS_DURATION]`.
    error InvalidRewardsDuration(uint256 duration);

    /// @notice The withdraw lock exceeds `MAX_WITHDRAW_LOCK`.
    error InvalidWithdrawLock(uint256 lock);

    /// @notice The stake and reward tokens cannot be recovered.
    error UnrecoverableToken(address token);

    /// @notice The zero address was given for a token or a recipient.
    error ZeroAddress();

    /// @notice An amount exceeds what the pool's packed storage holds.
    error AmountTooLarge(uint256 amount);

    /// @notice Scale of `rewardPerToken` and of `rewardCarry` (1e18).
    function PRECISION() external view returns (uint256); // solhint-disable-line func-name-mixedcase

    /// @notice Shortest streaming duration governance can set, in seconds.
    function MIN_REWARDS_DURATION() external view returns (uint256); // solhint-disable-line func-name-mixedcase

    /// @notice Longest streaming duration governance can set, in seconds.
    function MAX_REWARDS_DURATION() external view returns (uint256); // solhint-disable-line func-name-mixedcase

    /// @notice Longest withdraw lock governance can set, in seconds.
    function MAX_WITHDRAW_LOCK() external view returns (uint256); // solhint-disable-line func-name-mixedcase

    /// @notice The token users stake.
    function stakingToken() external view returns (IERC20);

    /// @notice The token paid as rewards (TTD).
    function rewardToken() external view returns (IERC20);

    /// @notice Deposits `amount` of the staking token (approved beforehand). Credits what arrives.
    function deposit(uint256 amount) external;

    /// @notice Deposits with an EIP-2612 permit signature instead of a prior approval. A permit that was
    /// already used (e.g. front-run) is ignored as long as the allowance covers `amount`; a permit the
    /// token refuses while the allowance does not cover `amount` reverts with `PermitFailed`.
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Withdraws `amount` of the caller's stake, once the withdraw lock has passed. Never paused.
    function withdraw(uint256 amount) external;

    /// @notice Pays the caller's rewards to the caller.
    /// @return amount The rewards paid.
    function claim() external returns (uint256 amount);

    /// @notice Pays the caller's rewards to `to`.
    /// @return amount The rewards paid.
    function claimTo(address to) external returns (uint256 amount);

    /// @notice Withdraws the caller's whole stake and claims its rewards.
    function exit() external;

    /// @notice Starts streaming any reward tokens the pool holds beyond its obligations (for tokens sent
    /// directly). The emission controller does the same through `onEmission`. Governance only.
    function notifyRewards() external;

    /// @notice Sets the streaming duration for rewards; the stream under way is re-spread over it from now.
    function setRewardsDuration(uint256 duration) external;

    /// @notice Sets the minimum deposit.
    function setMinDeposit(uint256 minDeposit) external;

    /// @notice Sets the lock between a user's last deposit and its withdrawals (at most `MAX_WITHDRAW_LOCK`).
    function setWithdrawLock(uint256 lock) external;

    /// @notice Sends an unrelated token that was sent here by mistake to `to`. Governance only.
    function recoverERC20(address token, address to, uint256 amount) external;

    /// @notice Sends the staking tokens the pool holds beyond all stakes (and, when the staking token is
    /// the reward token, beyond reward obligations) to `to`: positive rebases and stray transfers, which
    /// would otherwise be stuck. Governance only.
    /// @return surplus The amount sent.
    function skim(address to) external returns (uint256 surplus);

    /// @notice Stops deposits and claims. Withdrawals always stay open.
    function pause() external;

    /// @notice Resumes deposits and claims.
    function unpause() external;

    /// @notice Rewards `user` could claim now.
    function pendingRewards(address user) external view returns (uint256);

    /// @notice The accumulated rewards per staked token, scaled by 1e18, as of now.
    function rewardPerToken() external view returns (uint256);

    /// @notice `user`'s stake.
    function balanceOf(address user) external view returns (uint256);

    /// @notice The sum of all stakes.
    function totalStaked() external view returns (uint256);

    /// @notice When `user` may next withdraw.
    function unlockTime(address user) external view returns (uint256);

    /// @notice Seconds a deposit stays locked before its owner can withdraw.
    function withdrawLock() external view returns (uint40);

    /// @notice Seconds over which newly received rewards are streamed.
    function rewardsDuration() external view returns (uint40);

    /// @notice Smallest deposit accepted, in staking-token wei as received.
    function minDeposit() external view returns (uint256);

    /// @notice Whether deposits and claims are stopped.
    function paused() external view returns (bool);

    /// @notice The current stream: rate (wei/s), its end, and rewards received but not yet paid out.
    function rewardStream() external view returns (uint256 rate, uint256 finish, uint256 reserved);

    /// @notice Rewards received and not yet streamed to stakers (the stream is frozen while nobody stakes).
    function rewardsUnstreamed() external view returns (uint256);

    /// @notice Reward wei * 1e18 received but not yet credited to the accumulator (division remainders),
    /// as of now: consistent with `rewardPerToken()` and `pendingRewards()`.
    function rewardCarry() external view returns (uint256 carry);
}
