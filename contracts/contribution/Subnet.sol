// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IContributionBucket} from "../interfaces/IContributionBucket.sol";
import {ISubnet} from "../interfaces/ISubnet.sol";
import {Consensus} from "../libraries/Consensus.sol";
import {Dividends} from "../libraries/Dividends.sol";
import {PackedScores, SHEET_ROWS, SHEET_WORDS} from "../libraries/PackedScores.sol";

/// @title Subnet
/// @notice Proof of contribution for one market (see ISubnet). Rounds follow each other: commit phase,
/// reveal phase, then a permissionless, paged finalization that credits the round's emission and starts
/// the next round. A round's emission is everything the subnet holds for rewards when it is finalized,
/// so a round with no active sheet, or with all scores zero, carries its emission to the next one.
/// Liveness: a validator's last revealed sheet stays in force for `activityCutoff` rounds, so a round
/// in which some validators are offline does not change who holds the majority of the consensus.
/// @dev Accounting: the token balance covers `totalBonds + totalStake + totalUnbonding + totalClaimable
/// + pendingEmission`; only slashing moves stake elsewhere (to the protection fund). Every loop is bounded
/// by MAX_CONTRIBUTORS (256), MAX_VALIDATORS (64) or Consensus.MAX_METRICS (8). Entry points check, then
/// write every state change and emit, and only then move tokens. The math lives in libraries: folding,
/// consensus, clipping and agreement in `Consensus`, the packed score sheets in `PackedScores`.
contract Subnet is ISubnet, AccessManaged, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    /// @dev One row of a packed sheet per slot (`SHEET_WORDS` words of `PackedScores` lanes).
    uint256 public constant MAX_CONTRIBUTORS = SHEET_ROWS;
    /// @inheritdoc ISubnet
    /// @dev == Consensus.MAX_VALIDATORS; a round's reveals fit a uint64 mask.
    uint256 public constant MAX_VALIDATORS = 64;
    uint256 private constant BPS = Consensus.BPS;
    /// @dev Bounds of the settings (`_queueParams`).
    uint256 private constant MAX_PHASE_DURATION = 30 days;
    uint256 private constant MAX_UNBONDING_DELAY = 2 * MAX_PHASE_DURATION;
    uint256 private constant MAX_IMMUNITY_PERIOD = 12 * MAX_PHASE_DURATION;
    /// @dev Longest `activityCutoff`, in rounds.
    uint256 private constant MAX_ACTIVITY_CUTOFF = 64;

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    struct Unbonding {
        uint128 amount;
        uint40 releaseAt;
    }

    /// @dev Progress of the round's finalization.
    struct Finalization {
        FinalizationStage stage;
        uint16 cursor;
        uint64 activeMask; // validator slots whose sheets count (revealed within `activityCutoff` rounds)
        uint64 freshMask; // the active slots that revealed this round (paid, disciplined)
        uint128 pool; // the round's emission
        uint128 paid; // credited so far (across pages)
    }

    /// @inheritdoc ISubnet
    IERC20 public immutable token;
    /// @inheritdoc ISubnet
    IContributionBucket public immutable bucket;
    /// @inheritdoc ISubnet
    address public immutable protectionFund;

    /// @inheritdoc ISubnet
    address public owner;
    /// @inheritdoc ISubnet
    string public metadataURI;

    Params private _params;
    Params private _nextParams;
    uint16[] private _metricWeights;
    uint16[] private _nextMetricWeights;

    /// @inheritdoc ISubnet
    uint64 public round;
    /// @inheritdoc ISubnet
    uint40 public roundStart;

    Contributor[MAX_CONTRIBUTORS] private _contributors;
    mapping(address => uint256) private _contributorSlotPlusOne;
    /// @inheritdoc ISubnet
    uint256 public contributorCount;
    /// @inheritdoc ISubnet
    uint256 public contributorSlotsUsed;

    Validator[MAX_VALIDATORS] private _validators;
    /// @inheritdoc ISubnet
    uint256 public validatorSlotsUsed;
    bytes32[MAX_VALIDATORS] private _commitments;
    /// @dev Each validator slot's last revealed sheet of folded scores (contiguous: see PackedScores.gather).
    uint256[SHEET_WORDS][MAX_VALIDATORS] private _sheets;
    mapping(address => uint256) private _validatorSlotPlusOne;
    /// @inheritdoc ISubnet
    uint256 public validatorCount;
    mapping(address => Unbonding) private _unbonding;

    /// @dev Agreement sums of last round's consensus with this round's (the lagged baseline).
    struct LagSums {
        uint128 minSum;
        uint128 maxSum;
    }

    Finalization private _fin;
    uint256 private _sumConsensus;
    LagSums private _lag;
    uint256[SHEET_WORDS] private _consensusWords;
    /// @dev Each active sheet's agreement sums, `minSum << 128 | maxSum` (each below 2^38: 256 scores
    /// below 2^30), one slot per validator so a page reads and writes it once.
    uint256[MAX_VALIDATORS] private _sums;

    mapping(address => uint256) private _claimable;
    /// @inheritdoc ISubnet
    uint256 public totalBonds;
    /// @inheritdoc ISubnet
    uint256 public totalStake;
    /// @inheritdoc ISubnet
    uint256 public totalUnbonding;
    /// @inheritdoc ISubnet
    uint256 public totalClaimable;
    /// @inheritdoc ISubnet
    uint256 public pendingEmission;

    /*//////////////////////////////////////////////////////////////
                                CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param authority AccessManager for governance functions.
    /// @param token_ TTD.
    /// @param bucket_ The contribution bucket that allocates emission to this subnet.
    /// @param protectionFund_ Where slashed stake goes.
    /// @param owner_ The subnet owner (receives the owner share).
    /// @param uri Metadata URI.
    /// @param initialParams Initial settings.
    /// @param weights Initial metric weights.
    constructor(
        address authority,
        IERC20 token_,
        IContributionBucket bucket_,
        address protectionFund_,
        address owner_,
        string memory uri,
        Params memory initialParams,
        uint16[] memory weights
    ) AccessManaged(authority) {
        if (owner_ == address(0) || protectionFund_ == address(0)) revert ZeroAddress();
        token = token_;
        bucket = bucket_;
        protectionFund = protectionFund_;
        owner = owner_;
        metadataURI = uri;
        _queueParams(initialParams);
        _queueWeights(weights);
        _startRound();
    }

    /// @dev Not while the round is closed (awaiting or in finalization).
    modifier onlyOpen() {
        Phase p = phase();
        if (p == Phase.Closed) revert WrongPhase(p, Phase.Commit);
        _;
    }

    /*//////////////////////////////////////////////////////////////
                               CONTRIBUTORS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function register(
        string calldata uri
    ) external nonReentrant whenNotPaused onlyOpen returns (uint256 slot) {
        // Checks (the replacement's, `SubnetFull`, in `_lowestReplaceable`).
        if (_contributorSlotPlusOne[msg.sender] != 0) revert AlreadyRegistered(msg.sender);

        // Effects: take a free slot, or free the lowest-scored replaceable one.
        address replaced;
        uint256 refund;
        if (contributorCount < MAX_CONTRIBUTORS) {
            slot = _takeContributorSlot();
        } else {
            slot = _lowestReplaceable();
            replaced = _contributors[slot].account;
            refund = _removeContributor(slot);
            emit ContributorReplaced(replaced, slot, msg.sender);
        }
        uint96 bond = _params.bond;
        _contributors[slot] = Contributor(msg.sender, bond, block.timestamp.toUint40(), 0);
        _contributorSlotPlusOne[msg.sender] = slot + 1;
        totalBonds += bond;
        emit ContributorRegistered(msg.sender, slot, bond, uri);

        // Transfers: the replaced contributor's bond and rewards out, the new bond in.
        if (refund > 0) token.safeTransfer(replaced, refund);
        if (bond > 0) token.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @inheritdoc ISubnet
    function deregister() external nonReentrant onlyOpen {
        uint256 slot = _contributorSlot(msg.sender);

        uint256 owed = _removeContributor(slot);
        --contributorCount;
        emit ContributorDeregistered(msg.sender, slot);

        if (owed > 0) token.safeTransfer(msg.sender, owed);
    }

    /// @dev Frees `slot` and takes its contributor's bond and rewards off the books; returns what is
    /// owed to it (the caller pays it, after its own state writes).
    function _removeContributor(uint256 slot) private returns (uint256 owed) {
        Contributor memory c = _contributors[slot];
        delete _contributors[slot];
        delete _contributorSlotPlusOne[c.account];
        PackedScores.set(_consensusWords, slot, 0); // the next occupant starts with no consensus history
        totalBonds -= c.bond;
        owed = c.bond + _takeClaimable(c.account);
    }

    /// @dev Counts one more contributor and returns its slot: the next never-used one when no slot was
    /// freed, else the lowest free one (one exists below `contributorSlotsUsed`).
    function _takeContributorSlot() private returns (uint256 slot) {
        slot = contributorSlotsUsed;
        if (contributorCount++ == slot) contributorSlotsUsed = slot + 1;
        else for (slot = 0; _contributors[slot].account != address(0);) ++slot;
    }

    /// @dev The lowest-scored contributor whose immunity has passed (the first of equals).
    function _lowestReplaceable() private view returns (uint256 slot) {
        uint256 lowest = type(uint256).max;
        uint256 immunity = _params.immunityPeriod;
        for (uint256 i; i < MAX_CONTRIBUTORS; ++i) {
            Contributor memory c = _contributors[i];
            if (uint256(c.registeredAt) + immunity <= block.timestamp && c.lastScore < lowest) {
                lowest = c.lastScore;
                slot = i;
            }
        }
        if (lowest == type(uint256).max) revert SubnetFull();
    }

    function _contributorSlot(address account) private view returns (uint256) {
        uint256 plusOne = _contributorSlotPlusOne[account];
        if (plusOne == 0) revert NotRegistered(account);
        return plusOne - 1;
    }

    /*//////////////////////////////////////////////////////////////
                                VALIDATORS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function stake(uint256 amount) external nonReentrant whenNotPaused {
        // Stake moves only while sheets are hidden: in the reveal phase an outbid would drop a revealed
        // sheet, and a top-up would buy weight after seeing everyone's scores.
        _requirePhase(Phase.Commit);
        if (amount == 0) revert ZeroAmount();

        uint256 plusOne = _validatorSlotPlusOne[msg.sender];
        uint256 slot;
        if (plusOne != 0) {
            slot = plusOne - 1;
        } else {
            if (amount < _params.minValidatorStake) revert StakeTooLow(amount, _params.minValidatorStake);
            if (validatorCount < MAX_VALIDATORS) {
                slot = _takeValidatorSlot();
            } else {
                slot = _smallestStake();
                uint256 smallest = _validators[slot].stake;
                if (amount <= smallest) revert StakeTooLow(amount, smallest + 1);
                _expel(slot, ExpelReason.Outbid);
                ++validatorCount;
            }
            _validators[slot].account = msg.sender;
            _validators[slot].joinRound = round;
            _validatorSlotPlusOne[msg.sender] = slot + 1;
        }
        uint256 newStake = _validators[slot].stake + amount;
        _validators[slot].stake = _toUint96(newStake);
        totalStake += amount;
        emit Staked(msg.sender, slot, amount, newStake);

        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc ISubnet
    function unstake(uint256 amount) external nonReentrant onlyOpen {
        if (amount == 0) revert ZeroAmount();
        uint256 slot = _validatorSlot(msg.sender);
        Validator storage v = _validators[slot];
        uint256 staked = v.stake;
        if (amount > staked) revert InsufficientStake(amount, staked);

        if (staked - amount < _params.minValidatorStake) {
            _expel(slot, ExpelReason.BelowMinimum);
        } else {
            v.stake = (staked - amount).toUint96();
            totalStake -= amount;
            _unbond(msg.sender, amount);
        }
        // No transfer: the stake is withdrawn by `withdrawUnbonded` after the delay.
    }

    /// @inheritdoc ISubnet
    function withdrawUnbonded() external nonReentrant {
        Unbonding memory u = _unbonding[msg.sender];
        if (u.amount == 0) revert NothingToWithdraw();
        if (block.timestamp < u.releaseAt) revert StillUnbonding(u.releaseAt);

        delete _unbonding[msg.sender];
        totalUnbonding -= u.amount;
        emit UnbondedWithdrawn(msg.sender, u.amount);

        token.safeTransfer(msg.sender, u.amount);
    }

    /// @dev Takes `slot`'s permit away; its whole stake starts unbonding.
    function _expel(uint256 slot, ExpelReason reason) private {
        Validator memory v = _validators[slot];
        emit ValidatorExpelled(v.account, slot, reason);
        delete _validators[slot];
        delete _commitments[slot];
        delete _validatorSlotPlusOne[v.account];
        --validatorCount;
        totalStake -= v.stake;
        if (v.stake > 0) _unbond(v.account, v.stake);
    }

    /// @dev Moves `amount` to `account`'s unbonding; the whole unbonding balance's delay restarts.
    function _unbond(address account, uint256 amount) private {
        Unbonding storage u = _unbonding[account];
        u.amount += amount.toUint128();
        u.releaseAt = (block.timestamp + _params.unbondingDelay).toUint40();
        totalUnbonding += amount;
        emit Unbonded(account, amount, u.releaseAt);
    }

    /// @dev The slot with the smallest stake (the first of equals).
    function _smallestStake() private view returns (uint256 slot) {
        uint256 smallest = type(uint256).max;
        for (uint256 i; i < MAX_VALIDATORS; ++i) {
            if (_validators[i].stake < smallest) {
                smallest = _validators[i].stake;
                slot = i;
            }
        }
    }

    /// @dev Counts one more validator and returns its slot: the next never-used one when no slot was
    /// freed, else the lowest free one (one exists below `validatorSlotsUsed`).
    function _takeValidatorSlot() private returns (uint256 slot) {
        slot = validatorSlotsUsed;
        if (validatorCount++ == slot) validatorSlotsUsed = slot + 1;
        else for (slot = 0; _validators[slot].account != address(0);) ++slot;
    }

    function _validatorSlot(address account) private view returns (uint256) {
        uint256 plusOne = _validatorSlotPlusOne[account];
        if (plusOne == 0) revert NotValidator(account);
        return plusOne - 1;
    }

    /// @dev Stakes above uint96 are refused as invalid (no token has that supply).
    function _toUint96(uint256 x) private pure returns (uint96) {
        if (x > type(uint96).max) revert InvalidParams();
        return uint96(x);
    }

    /*//////////////////////////////////////////////////////////////
                              COMMIT / REVEAL
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function commit(bytes32 commitment) external {
        _requirePhase(Phase.Commit);
        uint256 slot = _validatorSlot(msg.sender);
        _commitments[slot] = commitment;
        _validators[slot].commitRound = round;
        emit Committed(msg.sender, round, commitment);
    }

    /// @inheritdoc ISubnet
    function reveal(bytes calldata sheet, bytes32 salt) external {
        _requirePhase(Phase.Reveal);
        uint256 slot = _validatorSlot(msg.sender);
        Validator storage v = _validators[slot];
        uint64 round_ = round;
        if (v.commitRound != round_) revert NoCommitment();
        if (v.revealRound == round_) revert AlreadyRevealed();
        if (
            keccak256(abi.encode(address(this), round_, msg.sender, salt, keccak256(sheet))) !=
            _commitments[slot]
        ) {
            revert CommitmentMismatch();
        }

        uint256 rows = _storeSheet(slot, sheet);
        v.revealRound = round_;
        v.rows = rows.toUint16();
        v.sheetStart = roundStart;
        emit Revealed(msg.sender, round_, rows);
    }

    /// @dev Folds each row of `sheet` with the metric weights and stores the packed scores.
    function _storeSheet(uint256 slot, bytes calldata sheet) private returns (uint256 rows) {
        uint16[] memory weights = _metricWeights;
        uint256 rowBytes = weights.length * 2;
        rows = sheet.length / rowBytes;
        if (sheet.length % rowBytes != 0 || rows > MAX_CONTRIBUTORS) {
            revert MalformedScoresheet(sheet.length, weights.length);
        }
        uint256[SHEET_WORDS] storage words = _sheets[slot];
        uint256 word;
        for (uint256 j; j < rows; ++j) {
            word = PackedScores.withLane(word, j, Consensus.foldPacked(sheet, j * rowBytes, weights));
            if (PackedScores.isLastLane(j) || j + 1 == rows) {
                words[PackedScores.wordOf(j)] = word;
                word = 0;
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                               FINALIZATION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function finalizeRound(uint256 maxSteps) external nonReentrant returns (bool done) {
        _requirePhase(Phase.Closed);
        if (maxSteps == 0) revert ZeroAmount();
        Finalization memory f = _fin;

        // Start: book the emission and find the sheets in force.
        if (f.stage == FinalizationStage.Idle) {
            _intake();
            (f.activeMask, f.freshMask) = _activeSheets();
            f.pool = pendingEmission.toUint128();
            if (f.activeMask == 0) {
                _closeRound(f, 0);
                return true;
            }
            f.stage = FinalizationStage.Consensus;
            _sumConsensus = 0;
            delete _lag;
        }

        // Consensus pages: a score per contributor, and the active sheets' agreement sums.
        if (f.stage == FinalizationStage.Consensus) {
            (f.cursor, maxSteps) = _consensusPage(f, maxSteps);
            if (f.cursor < contributorSlotsUsed) return _savePage(f);
            f.stage = FinalizationStage.Credit;
            f.cursor = 0;
        }
        if (maxSteps == 0) return _savePage(f);

        // Credit pages: contributors pro rata to consensus; then validators and the owner, once.
        uint256 sum = _sumConsensus;
        uint256 paid;
        (f.cursor, paid) = _creditPage(f, maxSteps, sum);
        pendingEmission -= paid;
        f.paid += paid.toUint128();
        if (f.cursor < contributorSlotsUsed) return _savePage(f);
        f.paid += _creditValidatorsAndOwner(f, sum).toUint128();
        _closeRound(f, f.paid);
        return true;
    }

    /// @dev Saves the finalization's progress for the next call; returns false (not done).
    function _savePage(Finalization memory f) private returns (bool) {
        _fin = f;
        return false;
    }

    /// @dev The active sheets' validators, for one page of consensus, and scratch space.
    struct Page {
        uint256[] slots;
        uint256[] stakes;
        uint256[] rows;
        uint256[] starts; // each sheet's round start: contributors registered since score 0 on it
        uint256 oldest; // the earliest of `starts`: contributors registered before it need no mask
        uint256[] scores; // one contributor's scores, per sheet (reused across contributors)
        uint256[] mins; // sum over the page of min(score, consensus), per sheet
        uint256[] maxs; // sum over the page of max(score, consensus), per sheet
        uint256 kappa;
    }

    /// @dev Consensus for contributors from `f.cursor`, at most `steps` of them; accumulates every
    /// active sheet's agreement sums, and the lagged consensus's. Returns the new cursor and steps left.
    function _consensusPage(Finalization memory f, uint256 steps) private returns (uint16, uint256) {
        Page memory pg = _page(f.activeMask);
        uint40 start = roundStart;
        uint256 j = f.cursor;
        uint256 sum = _sumConsensus;
        uint256[2] memory lag = [uint256(_lag.minSum), _lag.maxSum];
        uint256 end = contributorSlotsUsed;
        for (; j < end && steps > 0; ++j) {
            --steps;
            Contributor memory c = _contributors[j];
            uint256 score =
                c.account != address(0) && c.registeredAt < start ? _score(pg, j, c.registeredAt) : 0;
            uint256 lagged = PackedScores.swap(_consensusWords, j, score); // last round's consensus
            (uint256 lo, uint256 hi) = lagged < score ? (lagged, score) : (score, lagged);
            lag[0] += lo;
            lag[1] += hi;
            sum += score;
        }
        _sumConsensus = sum;
        _lag = LagSums(lag[0].toUint128(), lag[1].toUint128());
        bool first = f.cursor == 0;
        for (uint256 v; v < pg.slots.length; ++v) {
            uint256 s = pg.slots[v];
            _sums[s] = (first ? 0 : _sums[s]) + ((pg.mins[v] << 128) | pg.maxs[v]);
        }
        return (j.toUint16(), steps);
    }

    /// @dev Contributor `j`'s consensus score over the page's sheets (a contributor registered at `born`),
    /// and every sheet's agreement sums updated with it.
    function _score(Page memory pg, uint256 j, uint256 born) private view returns (uint256 score) {
        // Sheets from rounds that started after `born` cannot hold an earlier occupant's row: no mask.
        uint256[] memory since = born < pg.oldest ? new uint256[](0) : pg.starts;
        PackedScores.gather(_sheetsSlot(), pg.slots, pg.rows, since, j, born, pg.scores);
        score = Consensus.consensus(pg.scores, pg.stakes, pg.kappa);
        Consensus.accumulate(pg.scores, score, pg.mins, pg.maxs);
    }

    function _page(uint64 mask) private view returns (Page memory pg) {
        uint256 r = _popCount(mask);
        pg.slots = new uint256[](r);
        pg.stakes = new uint256[](r);
        pg.rows = new uint256[](r);
        pg.starts = new uint256[](r);
        pg.scores = new uint256[](r);
        pg.mins = new uint256[](r);
        pg.maxs = new uint256[](r);
        pg.kappa = _params.kappa;
        uint256 k;
        for (uint256 i; i < MAX_VALIDATORS; ++i) {
            if ((uint256(mask) >> i) & 1 == 0) continue;
            Validator storage v = _validators[i];
            pg.slots[k] = i;
            pg.stakes[k] = v.stake;
            pg.rows[k] = v.rows;
            pg.starts[k] = v.sheetStart;
            if (k == 0 || v.sheetStart < pg.oldest) pg.oldest = v.sheetStart;
            ++k;
        }
    }

    /// @dev The storage slot of `_sheets`, for `PackedScores.gather`.
    function _sheetsSlot() private pure returns (uint256 s) {
        assembly ("memory-safe") {
            s := _sheets.slot
        }
    }

    /// @dev Credits contributors from `f.cursor` pro rata to consensus; returns the new cursor and the
    /// amount credited.
    function _creditPage(
        Finalization memory f,
        uint256 steps,
        uint256 sum
    ) private returns (uint16, uint256 paid) {
        uint256 pool = (uint256(f.pool) * _params.contributorShare) / BPS;
        uint256 j = f.cursor;
        uint64 round_ = round;
        uint40 start = roundStart;
        uint256 end = contributorSlotsUsed;
        for (; j < end && steps > 0; ++j) {
            --steps;
            Contributor storage c = _contributors[j];
            if (c.account == address(0) || c.registeredAt >= start) continue;
            uint256 score = PackedScores.get(_consensusWords, j);
            c.lastScore = score.toUint32();
            uint256 reward = sum == 0 ? 0 : (pool * score) / sum;
            if (reward > 0) {
                _claimable[c.account] += reward;
                paid += reward;
            }
            emit ConsensusScore(round_, c.account, score, reward);
        }
        totalClaimable += paid;
        return (j.toUint16(), paid);
    }

    /// @dev The round's references for discipline and dividends.
    struct Verdict {
        uint256 median; // stake-weighted median agreement of the active sheets
        uint256 lagged; // agreement of last round's consensus with this round's
        uint256 validatorPool;
        uint256 activeStake;
    }

    /// @dev Disciplines and pays this round's revealers, and pays the owner its share; returns what
    /// was credited. A revealer's dividend is `validatorPool * stake * factor / activeStake`
    /// (`Dividends.factor`): the active stake of stale sheets, and what factors under 1 leave, stay in
    /// `pendingEmission` for the next round. Nothing is paid when every consensus score was zero.
    function _creditValidatorsAndOwner(Finalization memory f, uint256 sum) private returns (uint256 paid) {
        Params memory p = _params;
        uint256 n = _popCount(f.activeMask);
        uint256[] memory slots = new uint256[](n);
        uint256[] memory agreements = new uint256[](n);
        uint256[] memory stakes = new uint256[](n);
        Verdict memory r;
        uint256 k;
        for (uint256 i; i < MAX_VALIDATORS; ++i) {
            if ((uint256(f.activeMask) >> i) & 1 == 0) continue;
            slots[k] = i;
            stakes[k] = _validators[i].stake;
            uint256 sums = _sums[i];
            agreements[k] = Consensus.agreement(sums >> 128, uint128(sums));
            r.activeStake += stakes[k];
            ++k;
        }
        r.median = Consensus.consensus(agreements, stakes, BPS / 2);
        r.lagged = Consensus.agreement(_lag.minSum, _lag.maxSum);
        if (sum > 0 && r.activeStake > 0) r.validatorPool = (uint256(f.pool) * p.validatorShare) / BPS;
        emit RoundAgreement(round, r.median, r.lagged);

        for (k = 0; k < n; ++k) {
            // A stale sheet counts in the consensus and earns nothing.
            if ((uint256(f.freshMask) >> slots[k]) & 1 != 0)
                paid += _judge(slots[k], agreements[k], stakes[k], p, r);
        }
        if (sum > 0) {
            uint256 ownerReward = (uint256(f.pool) * (BPS - p.contributorShare - p.validatorShare)) / BPS;
            _claimable[owner] += ownerReward;
            paid += ownerReward;
        }
        totalClaimable += paid;
        pendingEmission -= paid;
    }

    /// @dev One revealer: a strike (no dividend; expelled at `maxStrikes`), or its dividend credited.
    function _judge(
        uint256 slot,
        uint256 agreement,
        uint256 stake_,
        Params memory p,
        Verdict memory r
    ) private returns (uint256 reward) {
        Validator storage v = _validators[slot];
        address account = v.account;
        if (Dividends.struck(agreement, r.median, p.agreementThreshold, p.relativeThreshold)) {
            ++v.strikes;
        } else {
            v.strikes = 0;
            uint256 share = Dividends.factor(agreement, r.median, r.lagged, p.edgeShare, p.edgeFloor);
            // (No pool without active stake: a zero-stake permit, `minValidatorStake` 0, divides by nothing.)
            if (r.validatorPool > 0)
                reward = Math.mulDiv(r.validatorPool, stake_ * share, r.activeStake * BPS);
            _claimable[account] += reward;
        }
        emit ValidatorDividend(round, account, agreement, reward);
        if (v.strikes >= p.maxStrikes) _expel(slot, ExpelReason.LowAgreement);
    }

    /// @dev Expels this round's silent committers and the permits idle for `activityCutoff` rounds, and
    /// starts the next round.
    function _closeRound(Finalization memory f, uint256 paid) private {
        uint64 round_ = round;
        uint256 cutoff = _params.activityCutoff;
        for (uint256 i; i < MAX_VALIDATORS; ++i) {
            Validator memory v = _validators[i];
            if (v.account == address(0)) continue;
            if (v.commitRound == round_ && v.revealRound != round_) _expel(i, ExpelReason.NoReveal);
            else if (round_ - Math.max(v.revealRound, v.joinRound) >= cutoff) _expel(i, ExpelReason.Inactive);
        }
        emit RoundFinalized(round_, f.pool, paid, _popCount(f.freshMask));
        delete _fin;
        _startRound();
    }

    function _startRound() private {
        _params = _nextParams;
        _metricWeights = _nextMetricWeights;
        ++round;
        roundStart = block.timestamp.toUint40();
        uint256 commitEnd = block.timestamp + _params.commitDuration;
        emit RoundStarted(round, block.timestamp, commitEnd, commitEnd + _params.revealDuration);
    }

    /// @dev Pulls this subnet's allocation and books every unaccounted token as emission.
    function _intake() private {
        bucket.pull();
        uint256 accounted = totalBonds + totalStake + totalUnbonding + totalClaimable + pendingEmission;
        uint256 balance = token.balanceOf(address(this));
        if (balance > accounted) pendingEmission += balance - accounted;
    }

    /// @dev The validator slots whose last sheet is in force (revealed within `activityCutoff` rounds),
    /// and those of them that revealed this round, as bit masks.
    function _activeSheets() private view returns (uint64 active, uint64 fresh) {
        uint64 round_ = round;
        uint256 cutoff = _params.activityCutoff;
        for (uint256 i; i < MAX_VALIDATORS; ++i) {
            Validator storage v = _validators[i];
            uint64 revealed = v.revealRound;
            if (v.account == address(0) || revealed == 0 || round_ - revealed >= cutoff) continue;
            // A committer that withholds its reveal is expelled; its last sheet no longer counts either
            // (else it could choose, after seeing the reveals, between its commitment and its old sheet).
            if (v.commitRound == round_ && revealed != round_) continue;
            uint64 bit = (uint256(1) << i).toUint64();
            active |= bit;
            if (revealed == round_) fresh |= bit;
        }
    }
    function _popCount(uint64 x) private pure returns (uint256 n) {
        for (; x != 0; x &= x - 1) ++n; // at most 64 iterations
    }

    /*//////////////////////////////////////////////////////////////
                                  CLAIMS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function claim() external nonReentrant whenNotPaused returns (uint256) {
        return _claim(msg.sender);
    }

    /// @inheritdoc ISubnet
    function claimFor(address account) external nonReentrant whenNotPaused returns (uint256) {
        return _claim(account);
    }

    function _claim(address account) private returns (uint256 amount) {
        amount = _takeClaimable(account);
        if (amount == 0) return 0;
        emit Claimed(account, amount);
        token.safeTransfer(account, amount);
    }

    /// @dev Zeroes `account`'s credit and takes it off the books; returns it (the caller pays it).
    function _takeClaimable(address account) private returns (uint256 amount) {
        amount = _claimable[account];
        if (amount == 0) return 0;
        _claimable[account] = 0;
        totalClaimable -= amount;
    }

    /*//////////////////////////////////////////////////////////////
                           GOVERNANCE AND OWNER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function setParams(Params calldata newParams) external restricted {
        _queueParams(newParams);
    }

    /// @inheritdoc ISubnet
    function setMetricWeights(uint16[] calldata weights) external restricted {
        _queueWeights(weights);
    }

    /// @inheritdoc ISubnet
    function slash(address validator, uint256 amount) external restricted nonReentrant {
        if (amount == 0) revert ZeroAmount();
        // Stakes are read page by page while a round is being finalized: wait for it to finish.
        if (_fin.stage != FinalizationStage.Idle) revert FinalizationInProgress();

        // Stake first (an expulsion below the minimum unbonds the rest), then unbonding stake.
        uint256 plusOne = _validatorSlotPlusOne[validator];
        uint256 taken;
        if (plusOne != 0) {
            Validator storage v = _validators[plusOne - 1];
            uint256 staked = v.stake;
            taken = Math.min(amount, staked);
            v.stake = (staked - taken).toUint96();
            totalStake -= taken;
            if (staked - taken < _params.minValidatorStake) _expel(plusOne - 1, ExpelReason.BelowMinimum);
        }
        Unbonding storage u = _unbonding[validator];
        uint256 fromUnbonding = Math.min(amount - taken, u.amount);
        u.amount -= fromUnbonding.toUint128();
        totalUnbonding -= fromUnbonding;
        taken += fromUnbonding;
        if (taken == 0) revert NothingToWithdraw();
        emit Slashed(validator, taken, protectionFund);

        token.safeTransfer(protectionFund, taken);
    }

    /// @inheritdoc ISubnet
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc ISubnet
    function unpause() external restricted {
        _unpause();
    }

    /// @inheritdoc ISubnet
    function setMetadataURI(string calldata uri) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        metadataURI = uri;
        emit MetadataURIUpdated(uri);
    }

    /// @inheritdoc ISubnet
    function transferOwnership(address newOwner) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (newOwner == address(0)) revert ZeroAddress();
        owner = newOwner;
        emit OwnerUpdated(newOwner);
    }

    function _queueParams(Params memory p) private {
        if (
            p.commitDuration == 0 ||
            p.revealDuration == 0 ||
            p.commitDuration > MAX_PHASE_DURATION ||
            p.revealDuration > MAX_PHASE_DURATION ||
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
        ) revert InvalidParams();
        _nextParams = p;
        emit ParamsQueued(p);
    }

    function _queueWeights(uint16[] memory weights) private {
        Consensus.validateWeights(weights);
        _nextMetricWeights = weights;
        emit MetricWeightsQueued(weights);
    }

    /*//////////////////////////////////////////////////////////////
                                   VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function phase() public view returns (Phase) {
        uint256 commitEnd = uint256(roundStart) + _params.commitDuration;
        if (block.timestamp < commitEnd) return Phase.Commit;
        if (block.timestamp < commitEnd + _params.revealDuration) return Phase.Reveal;
        return Phase.Closed;
    }

    /// @dev Reverts unless the round is in phase `required`.
    function _requirePhase(Phase required) private view {
        Phase p = phase();
        if (p != required) revert WrongPhase(p, required);
    }

    /// @inheritdoc ISubnet
    function claimable(address account) external view returns (uint256) {
        return _claimable[account];
    }

    /// @inheritdoc ISubnet
    function params() external view returns (Params memory current, Params memory next) {
        return (_params, _nextParams);
    }

    /// @inheritdoc ISubnet
    function metricWeights() external view returns (uint16[] memory current, uint16[] memory next) {
        return (_metricWeights, _nextMetricWeights);
    }

    /// @inheritdoc ISubnet
    function contributorAt(uint256 slot) external view returns (Contributor memory) {
        return _contributors[slot];
    }

    /// @inheritdoc ISubnet
    function contributorSlot(address account) external view returns (uint256) {
        return _contributorSlot(account);
    }

    /// @inheritdoc ISubnet
    function validatorAt(uint256 slot) external view returns (Validator memory) {
        return _validators[slot];
    }

    /// @inheritdoc ISubnet
    function validatorSlot(address account) external view returns (uint256) {
        return _validatorSlot(account);
    }

    /// @inheritdoc ISubnet
    function unbonding(address account) external view returns (uint256 amount, uint256 releaseAt) {
        Unbonding memory u = _unbonding[account];
        return (u.amount, u.releaseAt);
    }

    /// @inheritdoc ISubnet
    function consensusScore(uint256 slot) external view returns (uint256) {
        return PackedScores.get(_consensusWords, slot);
    }

    /// @inheritdoc ISubnet
    function roundTimes() external view returns (uint256 start, uint256 commitEnd, uint256 revealEnd) {
        start = roundStart;
        commitEnd = start + _params.commitDuration;
        revealEnd = commitEnd + _params.revealDuration;
    }

    /// @inheritdoc ISubnet
    function finalization() external view returns (FinalizationStage stage, uint256 cursor) {
        return (_fin.stage, _fin.cursor);
    }
}
