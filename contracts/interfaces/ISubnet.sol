// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IContributionBucket} from "./IContributionBucket.sol";
import {IPermitErrors} from "./IPermitErrors.sol";

/// @title ISubnet
/// @notice One market for one kind of contribution. Contributors register with a bond; validators stake
/// TTD for one of 64 permits, commit and then reveal a scoresheet (a value per metric per contributor)
/// each round; `finalizeRound` folds the metrics with governance's weights, takes the stake-weighted
/// consensus per contributor over every active sheet (a validator's last revealed sheet stays in force
/// for `activityCutoff` rounds), and credits the round's emission to contributors (by consensus score),
/// to this round's revealers (by stake, for agreement beyond what last round's consensus achieves) and
/// to the subnet owner. Revealers far below the median agreement take strikes and earn nothing.
interface ISubnet is IPermitErrors {
    /// @notice The stage of the current round, from the clock.
    enum Phase {
        Commit, // validators commit scoresheet hashes
        Reveal, // validators reveal the scoresheets
        Closed // the round awaits (or is in) finalization
    }

    /// @notice Settings governance can change; each change takes effect when the next round starts.
    struct Params {
        uint32 commitDuration; // seconds of the commit phase
        uint32 revealDuration; // seconds of the reveal phase
        uint32 immunityPeriod; // seconds during which a new contributor cannot be replaced
        uint32 unbondingDelay; // seconds between unbonding and withdrawal
        uint16 kappa; // consensus threshold, basis points of stake (5,000: the stake-weighted median)
        uint16 contributorShare; // basis points of a round's emission for contributors
        uint16 validatorShare; // ... for validators; the owner share is what is left of 10,000
        uint16 agreementThreshold; // basis points; a revealed sheet agreeing less counts as a strike
        uint8 maxStrikes; // consecutive strikes that expel a validator
        uint8 activityCutoff; // rounds a revealed sheet stays in force; a permit idle this long is expelled
        uint16 relativeThreshold; // basis points of the median agreement; a revealer under it takes a strike
        uint16 edgeShare; // basis points of the median edge over the lagged consensus that earn a full dividend
        uint16 edgeFloor; // median edge (basis points) from which dividends are paid for information only
        uint96 bond; // TTD a contributor locks to register
        uint96 minValidatorStake; // smallest stake that holds a permit
    }

    /// @notice How registration is priced (Bittensor's registration burn): a non-refundable fee, burned,
    /// that moves each `interval` toward `target` registrations per interval, within `[minFee, maxFee]`.
    /// Once all 256 slots have been used, a registration (an eviction, or one into a slot just freed)
    /// burns at least `evictionFloorBps` of the last round's mean contributor reward.
    struct RegistrationPricing {
        uint96 minFee; // TTD
        uint96 maxFee; // TTD
        uint32 interval; // seconds between price adjustments
        uint16 target; // registrations per interval the price steers toward
        uint32 evictionFloorBps; // basis points of the last round's mean contributor reward
    }

    /// @notice Stake on its way out: withdrawable from `releaseAt`.
    struct Unbonding {
        uint128 amount;
        uint40 releaseAt;
    }

    /// @notice Why a validator lost its permit.
    enum ExpelReason {
        NoReveal, // committed and did not reveal
        LowAgreement, // agreement under the threshold for `maxStrikes` rounds in a row
        Outbid, // a larger stake took its permit
        BelowMinimum, // unstaking or slashing left less than the minimum
        Inactive // revealed no sheet for `activityCutoff` rounds
    }

    /// @notice Where the closed round's paged finalization stands.
    enum FinalizationStage {
        Idle, // not started (or the last round is done)
        Consensus, // consensus pages: a score per contributor, agreement sums per validator
        Credit // credit pages: contributors, then validators and the owner
    }

    /// @notice Where the subnet is in its life: a bucket retires a subnet (a launch replaced it, or
    /// governance killed it); the round in flight is still finalized, then no round starts again, and
    /// every stake, bond and claimable stays withdrawable.
    enum Lifecycle {
        Live, // rounds follow each other
        Retiring, // the round in flight finishes; no new stake, registration, commitment or fee
        Retired // wound down: only exits and claims
    }

    /// @notice A contributor slot (zero account when free).
    struct Contributor {
        address account;
        uint96 bond; // TTD locked, paid back on leaving or replacement
        uint40 registeredAt; // registration time: immunity starts, and rounds started later score it
        uint32 lastScore; // consensus score of the last finalized round it took part in
    }

    /// @notice A validator permit (zero account when free).
    struct Validator {
        address account;
        uint96 stake;
        uint64 commitRound; // last round it committed in
        uint64 revealRound; // last round it revealed in
        uint16 rows; // rows of the last revealed sheet
        uint8 strikes; // consecutive rounds of agreement under the threshold
        uint64 joinRound; // round in which it took the permit
        uint40 sheetStart; // start of the round its last sheet was revealed in (later registrants score 0)
    }

    // ----- events -----

    /// @notice `account` registered in `slot`, locking `bond`; `uri` describes its contribution.
    event ContributorRegistered(address indexed account, uint256 indexed slot, uint256 bond, string uri);

    /// @notice `account` lost `slot` to `by` (the subnet was full): it was paid its bond and rewards back,
    /// and is still paid for the round in flight.
    event ContributorReplaced(address indexed account, uint256 indexed slot, address indexed by);

    /// @notice `account` left `slot`: its bond (and, unless paused, its rewards) was paid back; it is
    /// still paid for the round in flight.
    event ContributorDeregistered(address indexed account, uint256 indexed slot);

    /// @notice `account` burned `fee` TTD to register.
    event RegistrationFeeBurned(address indexed account, uint256 fee);

    /// @notice `payer` paid `amount` TTD for the subnet's service (`ref`: the payer's reference);
    /// `burned` of it is burned when the next finalization starts (`FeesBurned`), the rest is emission
    /// of that round.
    event FeePaid(address indexed payer, uint256 amount, uint256 burned, bytes32 indexed ref);

    /// @notice The fees' burn shares set aside since the last finalization, `amount`, were burned as the
    /// finalization of `round` started.
    event FeesBurned(uint256 indexed round, uint256 amount);

    /// @notice The bucket retired the subnet during `round`: that round is still finalized, no other starts.
    event RetirementStarted(uint256 indexed round);

    /// @notice The last round was finalized: the subnet is wound down; `leftover` (emission no sheet could
    /// pay, and rounding dust) went to the protection fund.
    event Retired(uint256 indexed round, uint256 leftover);

    /// @notice Governance set the registration pricing.
    event RegistrationPricingSet(RegistrationPricing pricing);

    /// @notice Governance set the keeper tip: `bps` of each round's emission to whoever finalizes it.
    event KeeperTipSet(uint256 bps);

    /// @notice `keeper` was credited `amount` for finalization pages of `round`.
    event KeeperTipped(uint256 indexed round, address indexed keeper, uint256 amount);

    /// @notice `validator` in `slot` added `amount`; its stake is now `stake`.
    event Staked(address indexed validator, uint256 indexed slot, uint256 amount, uint256 stake);

    /// @notice `amount` of `validator`'s stake started unbonding, withdrawable from `releaseAt` (stake
    /// that unbonded earlier keeps its own release time).
    event Unbonded(address indexed validator, uint256 amount, uint256 releaseAt);

    /// @notice `validator` withdrew `amount` of unbonded stake.
    event UnbondedWithdrawn(address indexed validator, uint256 amount);

    /// @notice `validator` lost the permit in `slot` for `reason`; its stake started unbonding.
    event ValidatorExpelled(address indexed validator, uint256 indexed slot, ExpelReason reason);

    /// @notice Governance took `amount` of `validator`'s stake (or unbonding stake) to `to`, the
    /// protection fund.
    event Slashed(address indexed validator, uint256 amount, address indexed to);

    /// @notice `validator` committed `commitment` (a scoresheet hash) for `round`.
    event Committed(address indexed validator, uint256 indexed round, bytes32 commitment);

    /// @notice `validator` revealed its `round` scoresheet of `rows` rows.
    event Revealed(address indexed validator, uint256 indexed round, uint256 rows);

    /// @notice Round `round` was finalized: `pool` was its emission, `paid` what was credited (the rest
    /// is carried to the next round), `reveals` how many sheets entered the consensus.
    event RoundFinalized(uint256 indexed round, uint256 pool, uint256 paid, uint256 reveals);

    /// @notice Round `round` started at `start`; its commit phase ends at `commitEnd`, its reveal phase
    /// at `revealEnd`.
    event RoundStarted(uint256 indexed round, uint256 start, uint256 commitEnd, uint256 revealEnd);

    /// @notice In `round`, `contributor`'s consensus score was `score`, which earned it `reward`.
    event ConsensusScore(uint256 indexed round, address indexed contributor, uint256 score, uint256 reward);

    /// @notice In `round`, `validator`'s revealed sheet agreed `agreementBps` (basis points) with the
    /// consensus, which, with its stake and its edge over the lagged consensus, earned it `reward`.
    event ValidatorDividend(
        uint256 indexed round,
        address indexed validator,
        uint256 agreementBps,
        uint256 reward
    );

    /// @notice In `round`, the active sheets' stake-weighted median agreement was `medianBps` and last
    /// round's consensus agreed `laggedBps` with this round's (what copying it would have scored).
    event RoundAgreement(uint256 indexed round, uint256 medianBps, uint256 laggedBps);

    /// @notice `account` was paid `amount` of its credited rewards.
    event Claimed(address indexed account, uint256 amount);

    /// @notice Governance queued `params`, in force from the next round.
    event ParamsQueued(Params params);

    /// @notice Governance queued metric `weights`, in force from the next round.
    event MetricWeightsQueued(uint16[] weights);

    /// @notice The owner changed the metadata URI to `uri`.
    event MetadataURIUpdated(string uri);

    /// @notice The subnet's ownership (and its owner share) passed to `owner`.
    event OwnerUpdated(address indexed owner);

    // ----- errors -----

    /// @notice Settings out of bounds (durations, kappa, shares, threshold, strikes), or a stake that
    /// would exceed uint96.
    error InvalidParams();

    /// @notice The round is in phase `current`; the call needs `required` (`Commit` also stands for
    /// "not closed": commit or reveal).
    error WrongPhase(Phase current, Phase required);

    /// @notice `account` holds no validator permit.
    error NotValidator(address account);

    /// @notice `account` is already a contributor.
    error AlreadyRegistered(address account);

    /// @notice `account` is not a contributor.
    error NotRegistered(address account);

    /// @notice All contributor slots are taken and every contributor is still immune.
    error SubnetFull();

    /// @notice A stake of `amount` is below the `required` minimum (or does not exceed the smallest
    /// stake when every permit is taken).
    error StakeTooLow(uint256 amount, uint256 required);

    /// @notice Unstaking `requested` from a stake of `stake`.
    error InsufficientStake(uint256 requested, uint256 stake);

    /// @notice The caller did not commit in this round.
    error NoCommitment();

    /// @notice The caller already revealed in this round.
    error AlreadyRevealed();

    /// @notice The revealed sheet and salt do not hash to the commitment.
    error CommitmentMismatch();

    /// @notice A sheet of `length` bytes is not whole rows of `metrics` uint16 values, or has more rows
    /// than contributor slots.
    error MalformedScoresheet(uint256 length, uint256 metrics);

    /// @notice Nothing unbonding to withdraw (or, for a slash, nothing to take).
    error NothingToWithdraw();

    /// @notice The unbonding stake can be withdrawn from `releaseAt`.
    error StillUnbonding(uint256 releaseAt);

    /// @notice `caller` is not the subnet owner.
    error NotOwner(address caller);

    /// @notice An amount (or a page size) of zero.
    error ZeroAmount();

    /// @notice The zero address was given for the owner or the protection fund.
    error ZeroAddress();

    /// @notice Registration pricing out of bounds (`minFee > maxFee`, a zero interval or target, or an
    /// interval longer than a year).
    error InvalidPricing();

    /// @notice A keeper tip above `MAX_KEEPER_TIP_BPS`.
    error InvalidKeeperTip(uint256 bps);

    /// @notice The subnet's extension was called directly; it only runs inside the subnet.
    error NotDelegated();

    /// @notice The subnet is retiring or retired: it takes no new stake, registration, commitment or fee.
    error SubnetRetired();

    /// @notice The subnet is already set up (or is the implementation clones copy).
    error AlreadyInitialized();

    /// @notice Only the subnet's bucket may retire it.
    error NotBucket(address caller);

    // ----- contributors -----

    /// @notice Registers the caller as a contributor, locking the bond and burning the registration fee
    /// (`registrationFee()`; approve bond + fee beforehand). When all 256 slots are taken, replaces the
    /// lowest-scored contributor past its immunity as of the last finalization (at most
    /// `MAX_EVICTION_CANDIDATES` per round), who gets its bond and rewards back and is still paid for the
    /// round in flight. In the commit or reveal phase; not while paused.
    /// @return slot The caller's slot: its row in every scoresheet.
    function register(string calldata uri) external returns (uint256 slot);

    /// @notice Leaves the subnet, at any time, paused or not: the bond is paid back, and the rewards too
    /// unless paused (they stay claimable). The contributor is still paid for the round in flight.
    function deregister() external;

    // ----- validators -----

    /// @notice Adds `amount` TTD to the caller's stake, taking a permit if it has none: a free one, or the
    /// smallest stake's when `amount` exceeds it (that validator is unbonded). Only in the commit phase:
    /// once sheets are public, neither an outbid (it would drop a revealed sheet) nor a top-up (weight
    /// bought after seeing the others' scores) may change the round's stake.
    function stake(uint256 amount) external;

    /// @notice Moves `amount` of the caller's stake to unbonding; below the minimum, the whole stake goes.
    /// At any time, paused or not (during a finalization the stake stops counting from the next page).
    function unstake(uint256 amount) external;

    /// @notice Pays out every part of the caller's unbonding stake whose delay has passed. Paused or not.
    function withdrawUnbonded() external;

    /// @notice Commits `keccak256(abi.encode(subnet, round, validator, salt, keccak256(sheet)))` for the
    /// current round, in the commit phase; a later commit in the same phase replaces it.
    function commit(bytes32 commitment) external;

    /// @notice Reveals the committed sheet in the reveal phase: for each contributor slot in order, one
    /// big-endian uint16 per metric (0-65,535). Rows beyond the sheet count as zero.
    function reveal(bytes calldata sheet, bytes32 salt) external;

    // ----- rounds and rewards -----

    /// @notice Finalizes the closed round in pages of at most `maxSteps` contributors per stage, then
    /// starts the next round. Permissionless; call until it returns true. Each call is tipped its share
    /// of the keeper tip (`keeperTipBps` of the round's emission, split by pages' steps; the call that
    /// completes the round takes the remainder). Not while paused.
    function finalizeRound(uint256 maxSteps) external returns (bool done);

    /// @notice Pays the caller everything credited to it so far, in O(1).
    function claim() external returns (uint256 amount);

    /// @notice Pays `account` (never the caller) everything credited to it: lets keepers pay out
    /// contracts that cannot call `claim`, such as a Treasury that owns a subnet.
    function claimFor(address account) external returns (uint256 amount);

    // ----- governance and owner -----

    /// @notice Queues new settings for the next round. Governance only.
    function setParams(Params calldata newParams) external;

    /// @notice Queues new metric weights (1-8, basis points summing to 10,000) for the next round.
    /// Governance only.
    function setMetricWeights(uint16[] calldata weights) external;

    /// @notice Takes up to `amount` of `validator`'s stake (then unbonding stake, newest first) to the
    /// protection fund. Governance only; at any time, even mid-finalization. Unbonding lasts at least
    /// `GovernancePath.MIN_UNBONDING_DELAY` (15 days), longer than any proposal's path, so a validator
    /// that starts unbonding when a slash is proposed is still there when it executes.
    function slash(address validator, uint256 amount) external;

    /// @notice Sets the registration pricing (in force at once; the current fee is clamped to the new
    /// bounds). Governance only.
    function setRegistrationPricing(RegistrationPricing calldata pricing) external;

    /// @notice Sets the keeper tip, at most `MAX_KEEPER_TIP_BPS`. Governance only.
    function setKeeperTip(uint256 bps) external;

    /// @notice Stops what credits or pays rewards and what lets someone in: registration, staking,
    /// finalization (so no new rounds) and claims. Never stops exits: deregister (its bond; rewards wait
    /// for the unpause), unstake and withdrawUnbonded.
    function pause() external;

    /// @notice Resumes.
    function unpause() external;

    /// @notice Changes the metadata URI. Owner only.
    function setMetadataURI(string calldata uri) external;

    /// @notice Hands the subnet's ownership (and its owner share) to `newOwner`. Owner only.
    function transferOwnership(address newOwner) external;

    // ----- views -----

    /// @notice Contributor slots (256): one row of every scoresheet each.
    function MAX_CONTRIBUTORS() external view returns (uint256);

    /// @notice Validator permits (64): the most sheets in one consensus.
    function MAX_VALIDATORS() external view returns (uint256);

    /// @notice Evictions per round (16): the lowest-scored contributors past immunity, listed at each
    /// finalization, so a registration in a full subnet costs O(1).
    function MAX_EVICTION_CANDIDATES() external view returns (uint256);

    /// @notice Parts an account's unbonding keeps apart (8); beyond, the newest part absorbs the rest.
    function MAX_UNBONDINGS() external view returns (uint256);

    /// @notice Highest keeper tip (100 basis points of a round's emission).
    function MAX_KEEPER_TIP_BPS() external view returns (uint256);

    // ----- launch, retirement and fees (the market) -----

    /// @notice Sets up a clone of the subnet implementation, whose immutable arguments are
    /// `abi.encodePacked(bucket, name)` (`SubnetFactory.launch` calls it in the clone's creating
    /// transaction; a set-up subnet, and the implementation, revert `AlreadyInitialized`).
    /// @param authority The AccessManager for governance functions.
    /// @param owner_ The owner (receives the owner share, sets the metadata URI).
    /// @param uri Metadata URI.
    /// @param initialParams Settings of the first round.
    /// @param weights Metric weights of the first round.
    function initialize(
        address authority,
        address owner_,
        string calldata uri,
        Params calldata initialParams,
        uint16[] calldata weights
    ) external;

    /// @notice Starts the subnet's wind-down (its bucket only, when it retires or kills it): the round in
    /// flight is finalized as usual, then no round starts again.
    function retire() external;

    /// @notice Pays `amount` TTD from the caller for the subnet's service: the bucket's `feeBurnBps` of
    /// it is burned, the rest is emission of the next finalized round (contributors, validators and owner
    /// share it as they share emission). Needs the allowance; reverts `SubnetRetired` once retiring.
    /// @param ref The payer's reference (an invoice or job id), logged in `FeePaid`.
    function payFee(uint256 amount, bytes32 ref) external;

    /// @notice `payFee` with an EIP-2612 permit for `amount` signed by the caller. A permit the token
    /// refuses reverts `PermitFailed`, unless the allowance covers `amount` (a front-run permit is used
    /// already and does not block the payment).
    function payFeeWithPermit(
        uint256 amount,
        bytes32 ref,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    // ----- views: identity and wiring -----

    /// @notice The subnet's name.
    function name() external view returns (string memory);

    /// @notice The subnet owner, paid the owner share.
    function owner() external view returns (address);

    /// @notice The token: TTD, for bonds, stakes and rewards.
    function token() external view returns (IERC20);

    /// @notice The contribution bucket that allocates emission to this subnet.
    function bucket() external view returns (IContributionBucket);

    /// @notice Where slashed stake goes.
    function protectionFund() external view returns (address);

    /// @notice The subnet's metadata URI.
    function metadataURI() external view returns (string memory);

    /// @notice Where the subnet is in its life.
    function lifecycle() external view returns (Lifecycle);

    /// @notice The contract that runs the subnet's registry, exit and governance entry points (by
    /// delegatecall, on the subnet's storage).
    function extension() external view returns (address);

    // ----- views: the round -----

    /// @notice The current round (the first is 1).
    function round() external view returns (uint64);

    /// @notice Timestamps at which the current round started and its commit and reveal phases end.
    function roundTimes() external view returns (uint256 start, uint256 commitEnd, uint256 revealEnd);

    /// @notice The current round's phase, from the clock.
    function phase() external view returns (Phase);

    /// @notice Finalization progress: the stage, and the next contributor slot of that stage's pages.
    function finalization() external view returns (FinalizationStage stage, uint256 cursor);

    /// @notice When the current round started.
    function roundStart() external view returns (uint40);

    /// @notice Settings in force this round, and the ones queued for the next.
    function params() external view returns (Params memory current, Params memory next);

    /// @notice Metric weights in force this round, and the ones queued for the next.
    function metricWeights() external view returns (uint16[] memory current, uint16[] memory next);

    /// @notice The consensus score of `slot` in the last consensus computed.
    function consensusScore(uint256 slot) external view returns (uint256);

    // ----- views: contributors -----

    /// @notice Registered contributors.
    function contributorCount() external view returns (uint256);

    /// @notice Contributor slots ever used (free slots are reused lowest first): finalization pages stop
    /// here.
    function contributorSlotsUsed() external view returns (uint256);

    /// @notice The contributor in `slot` (zero account when free).
    function contributorAt(uint256 slot) external view returns (Contributor memory);

    /// @notice `account`'s contributor slot; reverts `NotRegistered` if it is not registered.
    function contributorSlot(address account) external view returns (uint256);

    /// @notice Contributors' bonds held.
    function totalBonds() external view returns (uint256);

    /// @notice What a registration burns now (the demand price, and once all slots have been used, at
    /// least the eviction floor).
    function registrationFee() external view returns (uint256);

    /// @notice The registration pricing in force.
    function registrationPricing() external view returns (RegistrationPricing memory);

    /// @notice Contributor slots evictable this round, lowest score first (from the last finalization;
    /// slots since vacated or re-taken are skipped when evicting).
    function evictionCandidates() external view returns (uint256[] memory slots);

    // ----- views: validators -----

    /// @notice Validators holding a permit.
    function validatorCount() external view returns (uint256);

    /// @notice Validator slots ever used (free slots are reused lowest first).
    function validatorSlotsUsed() external view returns (uint256);

    /// @notice Validators' stake held (not unbonding).
    function totalStake() external view returns (uint256);

    /// @notice Stake unbonding, not yet withdrawn.
    function totalUnbonding() external view returns (uint256);

    /// @notice The validator in `slot` (zero account when free).
    function validatorAt(uint256 slot) external view returns (Validator memory);

    /// @notice `account`'s validator slot; reverts `NotValidator` if it holds no permit.
    function validatorSlot(address account) external view returns (uint256);

    /// @notice `account`'s stake waiting to be withdrawn, and when the last of it can be.
    function unbonding(address account) external view returns (uint256 amount, uint256 releaseAt);

    /// @notice `account`'s unbonding stake, part by part (oldest first, at most `MAX_UNBONDINGS`).
    function unbondings(address account) external view returns (Unbonding[] memory);

    // ----- views: rewards and fees -----

    /// @notice Emission received and not yet credited: the next round's pool.
    function pendingEmission() external view returns (uint256);

    /// @notice Rewards credited and not yet claimed.
    function totalClaimable() external view returns (uint256);

    /// @notice Rewards credited to `account` and not yet claimed.
    function claimable(address account) external view returns (uint256);

    /// @notice Basis points of each round's emission paid to whoever finalizes it.
    function keeperTipBps() external view returns (uint256);

    /// @notice Fees paid in all (TTD), and their burn shares (burned, or set aside to burn when the next
    /// finalization starts).
    function fees() external view returns (uint256 paid, uint256 burned);

    /// @notice Fee burn shares set aside, burned when the next finalization starts (part of `fees().burned`).
    function feesToBurn() external view returns (uint256);
}
