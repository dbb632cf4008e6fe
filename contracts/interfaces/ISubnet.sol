// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ISubnet
/// @notice One market for one kind of contribution. Contributors register with a bond; validators stake
/// TTD for one of 64 permits, commit and then reveal a scoresheet (a value per metric per contributor)
/// each round; `finalizeRound` folds the metrics with governance's weights, takes the stake-weighted
/// consensus per contributor (clipping the scores above it), and credits the round's emission to
/// contributors (by consensus score), validators (by stake x agreement) and the subnet owner.
interface ISubnet {
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
        uint96 bond; // TTD a contributor locks to register
        uint96 minValidatorStake; // smallest stake that holds a permit
    }

    /// @notice Why a validator lost its permit.
    enum ExpelReason {
        NoReveal, // committed and did not reveal
        LowAgreement, // agreement under the threshold for `maxStrikes` rounds in a row
        Outbid, // a larger stake took its permit
        BelowMinimum // unstaking or slashing left less than the minimum
    }

    event ContributorRegistered(address indexed account, uint256 indexed slot, uint256 bond, string uri);
    event ContributorReplaced(address indexed account, uint256 indexed slot, address indexed by);
    event ContributorDeregistered(address indexed account, uint256 indexed slot);
    event Staked(address indexed validator, uint256 indexed slot, uint256 amount, uint256 stake);
    event Unbonded(address indexed validator, uint256 amount, uint256 releaseAt);
    event UnbondedWithdrawn(address indexed validator, uint256 amount);
    event ValidatorExpelled(address indexed validator, uint256 indexed slot, ExpelReason reason);
    event Slashed(address indexed validator, uint256 amount, address indexed to);
    event Committed(address indexed validator, uint256 indexed round, bytes32 commitment);
    event Revealed(address indexed validator, uint256 indexed round, uint256 rows);
    /// @notice Round `round` was finalized: `pool` was its emission, `paid` what was credited (the rest
    /// is carried to the next round), `reveals` how many sheets entered the consensus.
    event RoundFinalized(uint256 indexed round, uint256 pool, uint256 paid, uint256 reveals);
    event RoundStarted(uint256 indexed round, uint256 start, uint256 commitEnd, uint256 revealEnd);
    event ConsensusScore(uint256 indexed round, address indexed contributor, uint256 score, uint256 reward);
    event ValidatorDividend(
        uint256 indexed round,
        address indexed validator,
        uint256 agreementBps,
        uint256 reward
    );
    event Claimed(address indexed account, uint256 amount);
    event ParamsQueued(Params params);
    event MetricWeightsQueued(uint16[] weights);
    event MetadataURIUpdated(string uri);
    event OwnerUpdated(address indexed owner);

    error InvalidParams();
    error WrongPhase(Phase current, Phase required);
    error NotValidator(address account);
    error AlreadyRegistered(address account);
    error NotRegistered(address account);
    error SubnetFull();
    error StakeTooLow(uint256 amount, uint256 required);
    error InsufficientStake(uint256 requested, uint256 stake);
    error NoCommitment();
    error AlreadyRevealed();
    error CommitmentMismatch();
    error MalformedScoresheet(uint256 length, uint256 metrics);
    error NothingToWithdraw();
    error StillUnbonding(uint256 releaseAt);
    error NotOwner(address caller);
    error ZeroAmount();
    error ZeroAddress();
    error FinalizationInProgress();

    // ----- contributors -----

    /// @notice Registers the caller as a contributor, locking the bond (approved beforehand). When all 256
    /// slots are taken, replaces the lowest-scored contributor past its immunity, who gets its bond and
    /// rewards back. Not while a round is being finalized.
    /// @return slot The caller's slot: its row in every scoresheet.
    function register(string calldata uri) external returns (uint256 slot);

    /// @notice Leaves the subnet: bond and rewards paid back. Not while a round is being finalized.
    function deregister() external;

    // ----- validators -----

    /// @notice Adds `amount` TTD to the caller's stake, taking a permit if it has none: a free one, or the
    /// smallest stake's when `amount` exceeds it (that validator is unbonded). Only in the commit phase:
    /// once sheets are public, neither an outbid (it would drop a revealed sheet) nor a top-up (weight
    /// bought after seeing the others' scores) may change the round's stake.
    function stake(uint256 amount) external;

    /// @notice Moves `amount` of the caller's stake to unbonding; below the minimum, the whole stake goes.
    function unstake(uint256 amount) external;

    /// @notice Pays out the caller's unbonded stake once the unbonding delay has passed.
    function withdrawUnbonded() external;

    /// @notice Commits `keccak256(abi.encode(subnet, round, validator, salt, keccak256(sheet)))` for the
    /// current round, in the commit phase; a later commit in the same phase replaces it.
    function commit(bytes32 commitment) external;

    /// @notice Reveals the committed sheet in the reveal phase: for each contributor slot in order, one
    /// big-endian uint16 per metric (0-65,535). Rows beyond the sheet count as zero.
    function reveal(bytes calldata sheet, bytes32 salt) external;

    // ----- rounds and rewards -----

    /// @notice Finalizes the closed round in pages of at most `maxSteps` contributors per stage, then
    /// starts the next round. Permissionless; call until it returns true.
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

    /// @notice Takes up to `amount` of `validator`'s stake (then unbonding stake) to the protection fund.
    /// Governance only; not while a round's finalization is under way (retry once it is done).
    function slash(address validator, uint256 amount) external;

    /// @notice Stops registration, staking and claims. Exits (deregister, unstake, withdrawUnbonded) and
    /// finalization stay open, so rounds keep advancing and nobody's bond or stake is locked in.
    function pause() external;

    /// @notice Resumes.
    function unpause() external;

    /// @notice Changes the metadata URI. Owner only.
    function setMetadataURI(string calldata uri) external;

    /// @notice Hands the subnet's ownership (and its owner share) to `newOwner`. Owner only.
    function transferOwnership(address newOwner) external;

    // ----- views -----

    function phase() external view returns (Phase);

    function claimable(address account) external view returns (uint256);
}
