// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IContributionBucket} from "../interfaces/IContributionBucket.sol";
import {ISubnet} from "../interfaces/ISubnet.sol";
import {Consensus} from "../libraries/Consensus.sol";
import {GovernancePath} from "../libraries/GovernancePath.sol";
import {SHEET_ROWS, SHEET_WORDS} from "../libraries/PackedScores.sol";

/// @dev Evictable contributors listed per round (`SubnetStorage._candidates`).
uint256 constant EVICTION_CANDIDATES = 16;
/// @dev Bits of one listed candidate: `(score + 1) << 16 | slot`, zero when empty or used.
uint256 constant CANDIDATE_BITS = 64;
/// @dev Words of the candidate list.
uint256 constant CANDIDATE_WORDS = (EVICTION_CANDIDATES * CANDIDATE_BITS) / 256;

/// @title SubnetStorage
/// @notice The state of one subnet, shared by its two halves: `Subnet` (rounds: staking, sheets,
/// finalization, claims, views) and `SubnetExtension` (registry, exits and governance, run by
/// delegatecall on this same storage). Both inherit only this contract, so their layouts are one.
/// @dev Holds what both halves use: the storage, the bounds, and the few internal steps both take
/// (expelling a validator, unbonding, the phase, the registration price).
abstract contract SubnetStorage is AccessManaged, Pausable, ReentrancyGuardTransient {
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 internal constant CONTRIBUTOR_SLOTS = SHEET_ROWS;
    uint256 internal constant VALIDATOR_SLOTS = 64;
    /// @dev Parts of one account's unbonding kept apart (each with its own release time).
    uint256 internal constant UNBONDING_PARTS = 8;
    uint256 internal constant KEEPER_TIP_CAP_BPS = 100;
    uint256 internal constant BPS = Consensus.BPS;
    uint256 internal constant MAX_PHASE_DURATION = 30 days;
    uint256 internal constant MAX_UNBONDING_DELAY = 2 * MAX_PHASE_DURATION;
    uint256 internal constant MAX_IMMUNITY_PERIOD = 12 * MAX_PHASE_DURATION;
    uint256 internal constant MAX_ACTIVITY_CUTOFF = 64;
    uint256 internal constant MAX_PRICE_INTERVAL = 365 days;
    /// @dev Highest eviction floor: 100 rounds' mean reward.
    uint256 internal constant MAX_EVICTION_FLOOR_BPS = 100 * BPS;

    /// @dev Defaults of the settings a new subnet does not take (governance changes them).
    uint96 internal constant DEFAULT_MIN_FEE = 1e18;
    uint96 internal constant DEFAULT_MAX_FEE = 10_000e18;
    uint32 internal constant DEFAULT_PRICE_INTERVAL = 1 days;
    uint16 internal constant DEFAULT_TARGET_REGISTRATIONS = 16;
    uint32 internal constant DEFAULT_EVICTION_FLOOR_BPS = 2 * uint32(BPS);
    uint256 internal constant DEFAULT_KEEPER_TIP_BPS = 10;
    /// @dev Bytes of an EIP-1167 clone's code without immutable arguments (OpenZeppelin `Clones`).
    uint256 internal constant CLONE_CODE_BYTES = 45;
    /// @dev Most bytes of a clone's arguments: a bucket address and a name of up to 32 bytes.
    uint256 internal constant CLONE_ARGS_MAX_BYTES = 20 + 32;

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Progress of the round's finalization.
    struct Finalization {
        ISubnet.FinalizationStage stage;
        uint16 cursor;
        uint64 activeMask; // validator slots whose sheets count (revealed within `activityCutoff` rounds)
        uint64 freshMask; // the active slots that revealed this round (paid, disciplined)
        uint16 rewarded; // contributors credited a reward so far
        uint128 pool; // the round's emission, less the keeper tip
        uint128 paid; // credited so far (across pages), keeper tips excluded
        uint128 tipBudget; // the round's keeper tip
        uint128 tipped; // keeper tips credited so far
    }

    /// @dev Agreement sums of last round's consensus with this round's (the lagged baseline).
    struct LagSums {
        uint128 minSum;
        uint128 maxSum;
    }

    /// @dev A contributor that left its slot during round `round` and is still scored and paid for it.
    struct Departed {
        address account;
        uint40 registeredAt;
        uint64 round;
    }

    IERC20 internal immutable _token;
    address internal immutable _protectionFund;

    /// @dev A stand-alone subnet's bucket. A clone's bucket and name are its immutable arguments
    /// (`_bucketOf`, `_nameOf`): 40,000 gas less per launch than two storage slots.
    IContributionBucket internal _bucket;
    address internal _owner;
    string internal _metadataURI;

    ISubnet.Params internal _params;
    ISubnet.Params internal _nextParams;
    uint16[] internal _metricWeights;
    uint16[] internal _nextMetricWeights;

    uint64 internal _round;
    uint40 internal _roundStart;
    /// @dev The previous round's start: contributors registered since have no consensus history.
    uint40 internal _prevRoundStart;
    /// @dev Settings queued for the next round (in the round's slot: `_startRound` reads it for free).
    bool internal _paramsQueued;
    bool internal _weightsQueued;
    ISubnet.Lifecycle internal _lifecycle;

    ISubnet.Contributor[CONTRIBUTOR_SLOTS] internal _contributors;
    mapping(address => uint256) internal _contributorSlotPlusOne;
    uint256 internal _contributorCount;
    uint256 internal _contributorSlotsUsed;
    /// @dev Per slot, the contributor that left it during the current round (scored and paid for it).
    Departed[CONTRIBUTOR_SLOTS] internal _departed;

    ISubnet.Validator[VALIDATOR_SLOTS] internal _validators;
    uint256 internal _validatorSlotsUsed;
    bytes32[VALIDATOR_SLOTS] internal _commitments;
    /// @dev Each validator slot's last revealed sheet of folded scores (contiguous: see PackedScores.gather).
    uint256[SHEET_WORDS][VALIDATOR_SLOTS] internal _sheets;
    mapping(address => uint256) internal _validatorSlotPlusOne;
    uint256 internal _validatorCount;
    mapping(address => ISubnet.Unbonding[]) internal _unbondings;

    Finalization internal _fin;
    uint256 internal _sumConsensus;
    LagSums internal _lag;
    uint256[SHEET_WORDS] internal _consensusWords;
    /// @dev Each active sheet's agreement sums, `minSum << 128 | maxSum` (each below 2^38: 256 scores
    /// below 2^30), one slot per validator so a page reads and writes it once.
    uint256[VALIDATOR_SLOTS] internal _sums;

    /// @dev The lowest-scored contributors past immunity at the last finalization, ascending, packed
    /// `CANDIDATE_BITS` each; a registration in a full subnet evicts the first still in its slot.
    uint256[CANDIDATE_WORDS] internal _candidates;
    /// @dev When the list was made: a contributor registered since is not the one listed.
    uint40 internal _candidatesListedAt;
    /// @dev The last round's mean reward of a rewarded contributor (the eviction floor's base).
    uint128 internal _meanReward;

    /// @dev Zero (`interval == 0`) until governance sets it: the defaults apply (`_pricingNow`), so a
    /// launch does not write two slots of defaults.
    ISubnet.RegistrationPricing internal _pricing;
    /// @dev Demand price of the interval that started at `_feeIntervalStart`, and its registrations.
    uint96 internal _fee;
    uint40 internal _feeIntervalStart;
    uint16 internal _feeRegistrations;
    uint16 internal _keeperTipBps;

    mapping(address => uint256) internal _claimable;
    uint256 internal _totalBonds;
    uint256 internal _totalStake;
    uint256 internal _totalUnbonding;
    uint256 internal _totalClaimable;
    uint256 internal _pendingEmission;
    /// @dev Fees paid for the subnet's service, and their burn share not burned yet: one slot, so a
    /// payment writes one word; the burn waits for the next finalization (one supply checkpoint a round,
    /// not one a payment).
    uint128 internal _feesPaid;
    uint128 internal _feesToBurn;
    /// @dev Fee burn shares burned so far.
    uint256 internal _feesBurned;

    /// @dev `token_` and `protectionFund_` are shared by every clone of an implementation (immutables
    /// live in its code); the rest is set by `_initialize`.
    constructor(address authority, IERC20 token_, address protectionFund_) AccessManaged(authority) {
        _token = token_;
        _protectionFund = protectionFund_;
    }

    /// @dev Sets a subnet up (the constructor of a stand-alone subnet, or `initialize` on a clone) and
    /// starts its first round; a subnet whose round has started is set up (`_roundStart != 0`).
    function _initialize(
        address authority_,
        address owner_,
        string memory uri,
        ISubnet.Params memory initialParams,
        uint16[] memory weights
    ) internal {
        if (_roundStart != 0) revert ISubnet.AlreadyInitialized();
        if (owner_ == address(0) || address(_bucketOf()) == address(0)) revert ISubnet.ZeroAddress();
        if (authority_ != authority()) _setAuthority(authority_);
        _owner = owner_;
        _metadataURI = uri;
        _validateParams(initialParams);
        _params = initialParams;
        emit ISubnet.ParamsQueued(initialParams);
        Consensus.validateWeights(weights);
        _metricWeights = weights;
        emit ISubnet.MetricWeightsQueued(weights);
        // One slot: the demand price starts at the default floor, with the default keeper tip (the
        // defaults are documented, and logged only when governance changes them).
        _feeIntervalStart = block.timestamp.toUint40();
        _fee = DEFAULT_MIN_FEE;
        _keeperTipBps = uint16(DEFAULT_KEEPER_TIP_BPS);
        _startRound();
    }

    /// @dev The registration pricing in force: governance's, or the defaults until it sets one.
    function _pricingNow() internal view returns (ISubnet.RegistrationPricing memory p) {
        p = _pricing;
        if (p.interval == 0)
            p = ISubnet.RegistrationPricing(
                DEFAULT_MIN_FEE,
                DEFAULT_MAX_FEE,
                DEFAULT_PRICE_INTERVAL,
                DEFAULT_TARGET_REGISTRATIONS,
                DEFAULT_EVICTION_FLOOR_BPS
            );
    }

    /// @dev The bucket: a stand-alone subnet's from storage, a clone's from its immutable arguments
    /// (`abi.encodePacked(bucket, name)`, read from its own code: warm, about 200 gas).
    function _bucketOf() internal view returns (IContributionBucket bucket_) {
        bucket_ = _bucket;
        if (address(bucket_) == address(0) && _isClone()) {
            bytes memory args = Clones.fetchCloneArgs(address(this));
            bucket_ = IContributionBucket(address(bytes20(args)));
        }
    }

    /// @dev Whether this is a clone with arguments (its code: 45 bytes of EIP-1167 proxy, then 20 to 52
    /// bytes of arguments); the implementation's own code is far longer.
    function _isClone() private view returns (bool) {
        uint256 n = address(this).code.length;
        return n > CLONE_CODE_BYTES && n <= CLONE_CODE_BYTES + CLONE_ARGS_MAX_BYTES;
    }

    /// @dev A clone's name (its immutable arguments after the bucket); empty for a stand-alone subnet.
    function _nameOf() internal view returns (string memory name_) {
        if (!_isClone()) return "";
        bytes memory args = Clones.fetchCloneArgs(address(this));
        uint256 n = args.length - 20;
        bytes memory b = new bytes(n);
        for (uint256 i; i < n; ++i) b[i] = args[20 + i]; // at most 32 bytes (SubnetFactory's bound)
        return string(b);
    }
    /// @dev Applies the settings queued for this round, and starts it.
    function _startRound() internal {
        if (_paramsQueued) {
            _params = _nextParams;
            _paramsQueued = false;
        }
        if (_weightsQueued) {
            _metricWeights = _nextMetricWeights;
            _weightsQueued = false;
        }
        uint64 round_ = ++_round;
        _prevRoundStart = _roundStart;
        _roundStart = block.timestamp.toUint40();
        uint256 commitEnd = block.timestamp + _params.commitDuration;
        emit ISubnet.RoundStarted(round_, block.timestamp, commitEnd, commitEnd + _params.revealDuration);
    }

    /// @dev Reverts once the bucket has retired the subnet.
    function _requireLive() internal view {
        if (_lifecycle != ISubnet.Lifecycle.Live) revert ISubnet.SubnetRetired();
    }

    /// @dev Takes `amount` from `payer` for the subnet's service and sets the bucket's burn share of it
    /// aside, burned when the next round's finalization starts (`_intake`); the rest stays in the balance,
    /// unaccounted, and is booked as emission then.
    function _payFee(address payer, uint256 amount, bytes32 ref) internal {
        if (amount == 0) revert ISubnet.ZeroAmount();
        _requireLive();
        uint256 burned = (amount * _bucketOf().feeBurnBps()) / BPS;
        _feesPaid += amount.toUint128();
        _feesToBurn += burned.toUint128();
        emit ISubnet.FeePaid(payer, amount, burned, ref);
        _token.safeTransferFrom(payer, address(this), amount);
    }

    /*//////////////////////////////////////////////////////////////
                              SHARED STEPS
    //////////////////////////////////////////////////////////////*/

    /// @dev Takes `slot`'s permit away; its whole stake starts unbonding.
    function _expel(uint256 slot, ISubnet.ExpelReason reason) internal {
        ISubnet.Validator memory v = _validators[slot];
        emit ISubnet.ValidatorExpelled(v.account, slot, reason);
        delete _validators[slot];
        delete _commitments[slot];
        delete _validatorSlotPlusOne[v.account];
        --_validatorCount;
        _totalStake -= v.stake;
        if (v.stake > 0) _unbond(v.account, v.stake);
    }

    /// @dev Moves `amount` to `account`'s unbonding, releasable after the unbonding delay. Earlier parts
    /// keep their release times; past `UNBONDING_PARTS` parts, the newest absorbs it (and its later time).
    function _unbond(address account, uint256 amount) internal {
        ISubnet.Unbonding[] storage parts = _unbondings[account];
        uint40 releaseAt = (block.timestamp + _params.unbondingDelay).toUint40();
        uint256 n = parts.length;
        if (n < UNBONDING_PARTS) {
            parts.push(ISubnet.Unbonding(amount.toUint128(), releaseAt));
        } else {
            ISubnet.Unbonding storage last = parts[n - 1];
            last.amount += amount.toUint128();
            if (releaseAt > last.releaseAt) last.releaseAt = releaseAt;
        }
        _totalUnbonding += amount;
        emit ISubnet.Unbonded(account, amount, releaseAt);
    }

    /// @dev Zeroes `account`'s credit and takes it off the books; returns it (the caller pays it).
    function _takeClaimable(address account) internal returns (uint256 amount) {
        amount = _claimable[account];
        if (amount == 0) return 0;
        _claimable[account] = 0;
        _totalClaimable -= amount;
    }

    /// @dev Validates and queues settings for the next round.
    function _queueParams(ISubnet.Params memory p) internal {
        _validateParams(p);
        _nextParams = p;
        _paramsQueued = true;
        emit ISubnet.ParamsQueued(p);
    }

    /// @dev Reverts `InvalidParams` unless every field of `p` is within its bounds.
    function _validateParams(ISubnet.Params memory p) internal pure {
        if (
            p.commitDuration == 0 ||
            p.revealDuration == 0 ||
            p.commitDuration > MAX_PHASE_DURATION ||
            p.revealDuration > MAX_PHASE_DURATION ||
            p.unbondingDelay < GovernancePath.MIN_UNBONDING_DELAY ||
            p.unbondingDelay > MAX_UNBONDING_DELAY ||
            p.immunityPeriod > MAX_IMMUNITY_PERIOD ||
            p.kappa == 0 ||
            p.kappa > BPS ||
            uint256(p.contributorShare) + p.validatorShare > BPS ||
            p.agreementThreshold > BPS ||
            p.maxStrikes == 0 ||
            p.activityCutoff == 0 ||
            p.activityCutoff > MAX_ACTIVITY_CUTOFF ||
            p.relativeThreshold > BPS ||
            p.edgeShare == 0 ||
            p.edgeShare > BPS ||
            p.edgeFloor == 0 ||
            p.edgeFloor > BPS
        ) revert ISubnet.InvalidParams();
    }

    /// @dev Validates and queues metric weights for the next round.
    function _queueWeights(uint16[] memory weights) internal {
        Consensus.validateWeights(weights);
        _nextMetricWeights = weights;
        _weightsQueued = true;
        emit ISubnet.MetricWeightsQueued(weights);
    }

    /// @dev Validates and sets the registration pricing; the demand price is clamped to its bounds.
    function _setPricing(ISubnet.RegistrationPricing memory p) internal {
        if (
            p.minFee > p.maxFee ||
            p.interval == 0 ||
            p.interval > MAX_PRICE_INTERVAL ||
            p.target == 0 ||
            p.evictionFloorBps > MAX_EVICTION_FLOOR_BPS
        ) revert ISubnet.InvalidPricing();
        _pricing = p;
        _fee = uint96(Math.min(Math.max(_fee, p.minFee), p.maxFee));
        emit ISubnet.RegistrationPricingSet(p);
    }

    /// @dev Validates and sets the keeper tip.
    function _setKeeperTip(uint256 bps) internal {
        if (bps > KEEPER_TIP_CAP_BPS) revert ISubnet.InvalidKeeperTip(bps);
        _keeperTipBps = uint16(bps);
        emit ISubnet.KeeperTipSet(bps);
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @dev The current round's phase, from the clock.
    function _phase() internal view returns (ISubnet.Phase) {
        uint256 commitEnd = uint256(_roundStart) + _params.commitDuration;
        if (block.timestamp < commitEnd) return ISubnet.Phase.Commit;
        if (block.timestamp < commitEnd + _params.revealDuration) return ISubnet.Phase.Reveal;
        return ISubnet.Phase.Closed;
    }

    /// @dev Reverts unless the round is in phase `required`.
    function _requirePhase(ISubnet.Phase required) internal view {
        ISubnet.Phase p = _phase();
        if (p != required) revert ISubnet.WrongPhase(p, required);
    }

    /// @dev The demand price now, the start of its interval and the registrations in it. Each interval
    /// that ended moves the price by `(registrations + target) / (2 * target)` (Bittensor's rule): up
    /// when demand beat the target, down (at most halved) when not; the intervals after the last
    /// registration had none, so each halves it. Clamped to `[minFee, maxFee]`. O(1) in elapsed time.
    function _demandPrice() internal view returns (uint256 fee, uint256 start, uint256 registrations) {
        ISubnet.RegistrationPricing memory p = _pricingNow();
        fee = _fee;
        start = _feeIntervalStart;
        registrations = _feeRegistrations;
        if (block.timestamp < start + p.interval) return (fee, start, registrations);
        uint256 intervals = (block.timestamp - start) / p.interval;
        fee = Math.min((fee * (registrations + p.target)) / (2 * uint256(p.target)), p.maxFee);
        // Halvings beyond 96 leave nothing of a uint96.
        fee = intervals - 1 >= 96 ? 0 : fee >> (intervals - 1);
        fee = Math.max(fee, p.minFee);
        return (fee, start + intervals * p.interval, 0);
    }

    /// @dev What a registration burns now: the demand price, and once the subnet has filled all its
    /// slots at least `evictionFloorBps` of the last round's mean contributor reward: an eviction, and a
    /// slot freed for an instant (a contributor leaving to register again, restarting its immunity), cost
    /// the same.
    function _registrationFee() internal view returns (uint256 fee) {
        (fee, , ) = _demandPrice();
        if (_contributorSlotsUsed == CONTRIBUTOR_SLOTS) {
            fee = Math.max(fee, (uint256(_meanReward) * _pricingNow().evictionFloorBps) / BPS);
        }
    }

    function _contributorSlot(address account) internal view returns (uint256) {
        uint256 plusOne = _contributorSlotPlusOne[account];
        if (plusOne == 0) revert ISubnet.NotRegistered(account);
        return plusOne - 1;
    }

    function _validatorSlot(address account) internal view returns (uint256) {
        uint256 plusOne = _validatorSlotPlusOne[account];
        if (plusOne == 0) revert ISubnet.NotValidator(account);
        return plusOne - 1;
    }
}
