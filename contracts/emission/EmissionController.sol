// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IEmissionController} from "../interfaces/IEmissionController.sol";
import {IEmissionReceiver} from "../interfaces/IEmissionReceiver.sol";
import {ITetrad} from "../interfaces/ITetrad.sol";
import {EmissionSchedule} from "../libraries/EmissionSchedule.sol";
import {Loosening} from "../libraries/Loosening.sol";

/// @title EmissionController
/// @notice Mints the TTD emission schedule and splits it across five buckets (code, community, compute,
/// capital, protection) by shares in basis points. `distribute()` is permissionless and O(1) whatever
/// time elapsed. Shares and recipients change only through governance (the AccessManager's admin:
/// the Timelock once governance is deployed), and every change first settles the past under the old
/// settings.
/// @dev Rounding: each of the first four buckets gets `floor(minted * share / 10_000)`; the protection
/// bucket gets the rest, so the amounts always add up to `minted` exactly.
contract EmissionController is AccessManaged, Pausable, IEmissionController {
    using EmissionSchedule for EmissionSchedule.Params;

    /// @inheritdoc IEmissionController
    uint256 public constant BUCKETS = 5;

    /// @inheritdoc IEmissionController
    uint256 public constant BPS = 10_000;

    /// @inheritdoc IEmissionController
    uint256 public constant HOOK_GAS = 300_000;

    /// @notice Length of the share-change window: one change per window.
    uint256 public constant SHARES_WINDOW = 30 days;

    /// @notice The default share step (1,000 bps per 30 days).
    uint256 public constant DEFAULT_MAX_SHARE_STEP = 1_000;

    /// @notice Most a loosening may add to the step in force; it applies `SHARES_WINDOW` after it is set.
    uint256 public constant MAX_SHARE_STEP_LOOSENING = 500;

    /// @dev Gas that must be left before a hook call so that it gets all of `HOOK_GAS` (63/64 rule) and
    /// this call can still finish afterwards.
    uint256 private constant HOOK_GAS_REQUIRED = (HOOK_GAS * 64) / 63 + 20_000;

    /// @inheritdoc IEmissionController
    ITetrad public immutable token;

    uint256 private immutable _start;
    uint256 private immutable _interval;
    uint256 private immutable _initialAmount;
    uint256 private immutable _decrease;

    /// @dev One bucket's recipient and share in one slot, so a distribution reads five slots, not six
    /// (gas, issue 13).
    struct BucketConfig {
        address account;
        bool notify;
        uint16 share;
    }

    // Packs with AccessManaged's and Pausable's fields into slot 0.
    uint64 private _lastDistribution;
    BucketConfig[BUCKETS] private _buckets;

    // The share-change rate limit: the step set at once, a scheduled loosening, the last change.
    uint16 private _maxShareStep = uint16(DEFAULT_MAX_SHARE_STEP);
    uint16 private _pendingStep;
    uint64 private _pendingStepAt;
    uint64 private _lastSharesChange;

    /// @param token_ The TTD token, deployed with this controller as its minter and the schedule's total
    /// as its cap.
    /// @param authority The AccessManager that guards the governance functions.
    /// @param schedule The emission schedule (start, interval, initial amount, decrease).
    /// @param recipients_ The five bucket recipients, indexed by `Bucket`.
    /// @param shares_ The five shares in basis points, summing to 10,000.
    constructor(
        ITetrad token_,
        address authority,
        EmissionSchedule.Params memory schedule,
        Recipient[BUCKETS] memory recipients_,
        uint16[BUCKETS] memory shares_
    ) AccessManaged(authority) {
        schedule.validate();
        uint256 scheduleTotal_ = schedule.total();
        if (token_.cap() != scheduleTotal_) revert CapMismatch(token_.cap(), scheduleTotal_);
        if (token_.minter() != address(this)) revert MinterMismatch(token_.minter());
        token = token_;
        _start = schedule.start;
        _interval = schedule.interval;
        _initialAmount = schedule.initialAmount;
        _decrease = schedule.decrease;
        _lastDistribution = uint64(schedule.start);
        for (uint256 i; i < BUCKETS; ++i) {
            _setRecipient(Bucket(i), recipients_[i].account, recipients_[i].notify);
        }
        _setShares(shares_);
    }

    /*//////////////////////////////////////////////////////////////
                                DISTRIBUTION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEmissionController
    function distribute() external whenNotPaused returns (uint256 minted) {
        return _distribute();
    }

    /// @dev Mints `(lastDistribution, now]` and pays the buckets. Effects and event before the mints and
    /// hooks, so a re-entrant call finds nothing left to mint.
    function _distribute() internal returns (uint256 minted) {
        uint256 from = _lastDistribution;
        uint256 to = block.timestamp;
        if (to <= from) return 0;
        _lastDistribution = uint64(to);
        minted = _schedule().emitted(from, to);
        if (minted == 0) return 0;

        BucketConfig[BUCKETS] memory buckets = _buckets;
        uint256[BUCKETS] memory amounts;
        uint256 paid;
        uint256 protection = uint256(Bucket.Protection);
        // Unchecked: `minted * share` < 2^192 * 2^14 (the schedule's total is below 2^128 * 2^64, see
        // EmissionSchedule.validate), and the four floors add up to at most `minted` (shares sum to BPS).
        unchecked {
            for (uint256 i; i < protection; ++i) {
                amounts[i] = (minted * buckets[i].share) / BPS;
                paid += amounts[i];
            }
        }
        amounts[protection] = minted - paid;
        emit Distributed(from, to, minted, amounts);

        for (uint256 i; i < BUCKETS;) {
            uint256 amount = amounts[i];
            if (amount != 0) {
                BucketConfig memory b = buckets[i];
                token.mint(b.account, amount);
                if (b.notify) _notify(Bucket(i), b.account, amount);
            }
            unchecked {
                ++i;
            }
        }
    }

    /// @dev Calls the recipient's hook with exactly `HOOK_GAS`; a revert is reported, not propagated, so one
    /// faulty recipient (even one that burns all the gas it is given) cannot stop the emission. A caller
    /// who leaves too little gas for the hook to get its full allowance gets `HookOutOfGas` instead, so
    /// nobody can make a hook fail on purpose.
    function _notify(Bucket bucket, address account, uint256 amount) private {
        if (gasleft() < HOOK_GAS_REQUIRED) revert HookOutOfGas(account);
        // solhint-disable-next-line no-empty-blocks
        try IEmissionReceiver(account).onEmission{gas: HOOK_GAS}(uint256(bucket), amount) {} catch {
            emit ReceiverNotificationFailed(bucket, account, amount);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEmissionController
    function setShares(uint16[BUCKETS] calldata newShares) external restricted {
        uint256 last = _lastSharesChange;
        if (last != 0 && block.timestamp < last + SHARES_WINDOW)
            revert SharesChangedTooRecently(last + SHARES_WINDOW);
        uint16[BUCKETS] memory old = _currentShares();
        _lastSharesChange = uint64(block.timestamp);
        _distribute();
        _setShares(newShares);
        uint256 step = maxShareStep();
        for (uint256 i; i < BUCKETS; ++i) {
            (uint256 a, uint256 b) = (old[i], newShares[i]);
            if ((a > b ? a - b : b - a) > step) revert ShareStepTooLarge(Bucket(i), a, b, step);
        }
    }

    /// @inheritdoc IEmissionController
    function setMaxShareStep(uint256 step) external restricted {
        uint256 old = maxShareStep();
        if (step > BPS || step > old + MAX_SHARE_STEP_LOOSENING) revert InvalidMaxShareStep(step);
        (uint16 set, uint16 pending, uint64 effectiveAt) = Loosening.update(old, step, SHARES_WINDOW);
        (_maxShareStep, _pendingStep, _pendingStepAt) = (set, pending, effectiveAt);
        if (effectiveAt != 0) emit MaxShareStepRaiseScheduled(step, effectiveAt);
        else emit MaxShareStepSet(old, step);
    }

    /// @inheritdoc IEmissionController
    function setRecipient(Bucket bucket, address account, bool notify) external restricted {
        _distribute();
        _setRecipient(bucket, account, notify);
    }

    /// @inheritdoc IEmissionController
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc IEmissionController
    function unpause() external restricted {
        _unpause();
    }

    function _setShares(uint16[BUCKETS] memory newShares) private {
        uint256 sum;
        for (uint256 i; i < BUCKETS; ++i) sum += newShares[i];
        if (sum != BPS) revert InvalidShares(sum);
        emit SharesUpdated(_currentShares(), newShares);
        for (uint256 i; i < BUCKETS; ++i) _buckets[i].share = newShares[i];
    }

    function _setRecipient(Bucket bucket, address account, bool notify) private {
        if (account == address(0) || account == address(this) || (notify && account.code.length == 0)) {
            revert InvalidRecipient(account);
        }
        BucketConfig storage b = _buckets[uint256(bucket)];
        (b.account, b.notify) = (account, notify);
        emit RecipientUpdated(bucket, account, notify);
    }

    function _currentShares() private view returns (uint16[BUCKETS] memory current) {
        for (uint256 i; i < BUCKETS; ++i) current[i] = _buckets[i].share;
    }

    /*//////////////////////////////////////////////////////////////
                                   VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IEmissionController
    function emittedBetween(uint256 from, uint256 to) external view returns (uint256) {
        return _schedule().emitted(from, to);
    }

    /// @inheritdoc IEmissionController
    function pendingEmission() external view returns (uint256) {
        uint256 from = _lastDistribution;
        return block.timestamp <= from ? 0 : _schedule().emitted(from, block.timestamp);
    }

    /// @inheritdoc IEmissionController
    function totalEmitted() external view returns (uint256) {
        return _schedule().cumulative(_lastDistribution);
    }

    /// @inheritdoc IEmissionController
    function lastDistribution() external view returns (uint256) {
        return _lastDistribution;
    }

    /// @inheritdoc IEmissionController
    function scheduleStart() external view returns (uint256) {
        return _start;
    }

    /// @inheritdoc IEmissionController
    function scheduleEnd() external view returns (uint256) {
        return _schedule().end();
    }

    /// @inheritdoc IEmissionController
    function scheduleTotal() external view returns (uint256) {
        return _schedule().total();
    }

    /// @inheritdoc IEmissionController
    function maxShareStep() public view returns (uint256) {
        uint256 at = _pendingStepAt;
        return at != 0 && block.timestamp >= at ? _pendingStep : _maxShareStep;
    }

    /// @inheritdoc IEmissionController
    function pendingMaxShareStep() external view returns (uint256 step, uint256 effectiveAt) {
        if (_pendingStepAt > block.timestamp) (step, effectiveAt) = (_pendingStep, _pendingStepAt);
    }

    /// @inheritdoc IEmissionController
    function lastSharesChange() external view returns (uint256) {
        return _lastSharesChange;
    }

    /// @inheritdoc IEmissionController
    function shares() external view returns (uint16[BUCKETS] memory) {
        return _currentShares();
    }

    /// @inheritdoc IEmissionController
    function recipient(Bucket bucket) external view returns (Recipient memory) {
        BucketConfig memory b = _buckets[uint256(bucket)];
        return Recipient(b.account, b.notify);
    }

    function _schedule() private view returns (EmissionSchedule.Params memory) {
        return EmissionSchedule.Params(_start, _interval, _initialAmount, _decrease);
    }
}
