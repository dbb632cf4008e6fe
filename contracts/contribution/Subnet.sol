// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IContributionBucket} from "../interfaces/IContributionBucket.sol";
import {ISubnet} from "../interfaces/ISubnet.sol";
import {Consensus} from "../libraries/Consensus.sol";
import {Dividends} from "../libraries/Dividends.sol";
import {PackedScores, SHEET_ROWS, SHEET_WORDS} from "../libraries/PackedScores.sol";
import {SubnetExtension} from "./SubnetExtension.sol";
import {SubnetStorage, EVICTION_CANDIDATES, CANDIDATE_BITS, CANDIDATE_WORDS} from "./SubnetStorage.sol";

/// @title Subnet
/// @notice Proof of contribution for one market (see ISubnet). Rounds follow each other: commit phase,
/// reveal phase, then a permissionless, paged finalization that credits the round's emission and starts
/// the next round. A round's emission is everything the subnet holds for rewards when it is finalized,
/// so a round with no active sheet, or with all scores zero, carries its emission to the next one.
/// Liveness: a validator's last revealed sheet stays in force for `activityCutoff` rounds, so a round
/// in which some validators are offline does not change who holds the majority of the consensus.
/// @dev Two contracts on one storage (`SubnetStorage`): this one holds the round (staking, sheets,
/// finalization, claims) and the views; `SubnetExtension`, deployed by the constructor, holds the
/// registry, exits and governance, and runs by delegatecall (`_delegate`) so that both fit the
/// 24,576-byte limit. Accounting: the token balance covers `totalBonds + totalStake + totalUnbonding +
/// totalClaimable + pendingEmission`; only slashing moves stake elsewhere (to the protection fund), and
/// registration fees are burned as they come in. Every loop is bounded by MAX_CONTRIBUTORS (256),
/// MAX_VALIDATORS (64), MAX_EVICTION_CANDIDATES (16), MAX_UNBONDINGS (8) or Consensus.MAX_METRICS (8).
/// Entry points check, then write every state change and emit, and only then move tokens. The math lives
/// in libraries: folding, consensus, clipping and agreement in `Consensus`, dividends in `Dividends`, the
/// packed score sheets in `PackedScores`.
contract Subnet is SubnetStorage, ISubnet {
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
    uint256 public constant MAX_VALIDATORS = VALIDATOR_SLOTS;
    /// @inheritdoc ISubnet
    uint256 public constant MAX_EVICTION_CANDIDATES = EVICTION_CANDIDATES;
    /// @inheritdoc ISubnet
    uint256 public constant MAX_UNBONDINGS = UNBONDING_PARTS;
    /// @inheritdoc ISubnet
    uint256 public constant MAX_KEEPER_TIP_BPS = KEEPER_TIP_CAP_BPS;

    /// @inheritdoc ISubnet
    address public immutable extension;

    /*//////////////////////////////////////////////////////////////
                                CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @notice Deploys a subnet with its own extension. With a zero `bucket_` it is an implementation
    /// for `SubnetFactory` clones (which share its code, its extension and the immutables): it is left
    /// without state and refuses `initialize`. Otherwise it is a stand-alone subnet set up here.
    /// @param authority AccessManager for governance functions.
    /// @param token_ TTD (burnable: registration fees and the burn share of service fees are burned).
    /// @param bucket_ The contribution bucket that allocates emission to this subnet (zero: implementation).
    /// @param protectionFund_ Where slashed stake, and what a retired subnet could not pay, goes.
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
    ) SubnetStorage(authority, token_, protectionFund_) {
        if (protectionFund_ == address(0)) revert ZeroAddress();
        extension = address(new SubnetExtension(authority, token_, protectionFund_));
        if (address(bucket_) == address(0)) {
            // The implementation: marked set up, so that nobody initializes its own storage.
            _roundStart = uint40(block.timestamp);
        } else {
            _bucket = bucket_;
            _initialize(authority, owner_, uri, initialParams, weights);
        }
    }

    /*//////////////////////////////////////////////////////////////
                  REGISTRY, EXITS, GOVERNANCE (EXTENSION)
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function register(string calldata) external returns (uint256) {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function deregister() external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function unstake(uint256) external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function withdrawUnbonded() external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function slash(address, uint256) external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function setParams(Params calldata) external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function setMetricWeights(uint16[] calldata) external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function setRegistrationPricing(RegistrationPricing calldata) external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function setKeeperTip(uint256) external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function pause() external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function unpause() external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function setMetadataURI(string calldata) external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function transferOwnership(address) external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function initialize(address, address, string calldata, Params calldata, uint16[] calldata) external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function retire() external {
        _delegate();
    }

    /// @inheritdoc ISubnet
    function payFeeWithPermit(uint256, bytes32, uint256, uint8, bytes32, bytes32) external {
        _delegate();
    }

    /// @dev Runs this call's calldata in the extension, on this contract's storage, and returns (or
    /// reverts) with what it returned. Never returns to its caller.
    function _delegate() private {
        address ext = extension;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, 0, calldatasize())
            let ok := delegatecall(gas(), ext, ptr, calldatasize(), 0, 0)
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) {
                revert(ptr, returndatasize())
            }
            return(ptr, returndatasize())
        }
    }

    /*//////////////////////////////////////////////////////////////
                                VALIDATORS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function stake(uint256 amount) external nonReentrant whenNotPaused {
        // Stake moves only while sheets are hidden: in the reveal phase an outbid would drop a revealed
        // sheet, and a top-up would buy weight after seeing everyone's scores.
        _requirePhase(Phase.Commit);
        _requireLive();
        if (amount == 0) revert ZeroAmount();

        uint256 plusOne = _validatorSlotPlusOne[msg.sender];
        uint256 slot;
        if (plusOne != 0) {
            slot = plusOne - 1;
        } else {
            if (amount < _params.minValidatorStake) revert StakeTooLow(amount, _params.minValidatorStake);
            if (_validatorCount < MAX_VALIDATORS) {
                slot = _takeValidatorSlot();
            } else {
                slot = _smallestStake();
                uint256 smallest = _validators[slot].stake;
                if (amount <= smallest) revert StakeTooLow(amount, smallest + 1);
                _expel(slot, ExpelReason.Outbid);
                ++_validatorCount;
            }
            _validators[slot].account = msg.sender;
            _validators[slot].joinRound = _round;
            _validatorSlotPlusOne[msg.sender] = slot + 1;
        }
        uint256 newStake = _validators[slot].stake + amount;
        if (newStake > type(uint96).max) revert InvalidParams();
        _validators[slot].stake = uint96(newStake);
        _totalStake += amount;
        emit Staked(msg.sender, slot, amount, newStake);

        _token.safeTransferFrom(msg.sender, address(this), amount);
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
    /// freed, else the lowest free one (one exists below `_validatorSlotsUsed`).
    function _takeValidatorSlot() private returns (uint256 slot) {
        slot = _validatorSlotsUsed;
        if (_validatorCount++ == slot) _validatorSlotsUsed = slot + 1;
        else for (slot = 0; _validators[slot].account != address(0);) ++slot;
    }

    /*//////////////////////////////////////////////////////////////
                              COMMIT / REVEAL
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function commit(bytes32 commitment) external {
        _requirePhase(Phase.Commit);
        uint256 slot = _validatorSlot(msg.sender);
        _commitments[slot] = commitment;
        _validators[slot].commitRound = _round;
        emit Committed(msg.sender, _round, commitment);
    }

    /// @inheritdoc ISubnet
    function reveal(bytes calldata sheet, bytes32 salt) external {
        _requirePhase(Phase.Reveal);
        uint256 slot = _validatorSlot(msg.sender);
        Validator storage v = _validators[slot];
        uint64 round_ = _round;
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
        v.sheetStart = _roundStart;
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
    function finalizeRound(uint256 maxSteps) external nonReentrant whenNotPaused returns (bool done) {
        _requirePhase(Phase.Closed);
        if (_lifecycle == Lifecycle.Retired) revert SubnetRetired();
        if (maxSteps == 0) revert ZeroAmount();
        Finalization memory f = _fin;
        uint256 steps = maxSteps;

        // Start: book the emission, set the keeper tip aside and find the sheets in force.
        if (f.stage == FinalizationStage.Idle) {
            _intake();
            (f.activeMask, f.freshMask) = _activeSheets();
            if (f.activeMask == 0) {
                f.pool = _pendingEmission.toUint128();
                _closeRound(f, 0);
                return true;
            }
            f.tipBudget = ((_pendingEmission * _keeperTipBps) / BPS).toUint128();
            f.pool = (_pendingEmission - f.tipBudget).toUint128();
            f.stage = FinalizationStage.Consensus;
            _sumConsensus = 0;
            delete _lag;
        }

        // Consensus pages: a score per contributor, and the active sheets' agreement sums.
        if (f.stage == FinalizationStage.Consensus) {
            (f.cursor, steps) = _consensusPage(f, steps);
            if (f.cursor < _contributorSlotsUsed) return _savePage(f, maxSteps - steps);
            f.stage = FinalizationStage.Credit;
            f.cursor = 0;
        }
        if (steps == 0) return _savePage(f, maxSteps);

        // Credit pages: contributors pro rata to consensus; then validators and the owner, once.
        uint256 sum = _sumConsensus;
        uint256 paid;
        uint256 rewarded;
        (f.cursor, paid, rewarded, steps) = _creditPage(f, steps, sum);
        _pendingEmission -= paid;
        f.paid += paid.toUint128();
        f.rewarded += rewarded.toUint16();
        if (f.cursor < _contributorSlotsUsed) return _savePage(f, maxSteps - steps);
        if (f.rewarded > 0) _meanReward = f.paid / f.rewarded;
        f.paid += _creditValidatorsAndOwner(f, sum).toUint128();
        // The call that completes the round takes what is left of the tip.
        _tip(f, f.tipBudget - f.tipped);
        _closeRound(f, f.paid);
        return true;
    }

    /// @dev Tips the caller for `stepsDone` steps of contributors' pages, saves the progress for the
    /// next call and returns false (not done).
    function _savePage(Finalization memory f, uint256 stepsDone) private returns (bool) {
        // A full finalization is 2 steps per contributor slot (a consensus page and a credit page).
        uint256 total = 2 * _contributorSlotsUsed;
        if (total > 0) _tip(f, Math.min((uint256(f.tipBudget) * stepsDone) / total, f.tipBudget - f.tipped));
        _fin = f;
        return false;
    }

    /// @dev Credits `amount` of the round's keeper tip to the caller.
    function _tip(Finalization memory f, uint256 amount) private {
        if (amount == 0) return;
        f.tipped += amount.toUint128();
        _claimable[msg.sender] += amount;
        _totalClaimable += amount;
        _pendingEmission -= amount;
        emit KeeperTipped(_round, msg.sender, amount);
    }

    /// @dev The active sheets' validators, for one page of consensus, and scratch space.
    struct Page {
        uint256[] slots;
        uint256[] stakes;
        uint256[] rows;
        uint256[] starts; // each sheet's round start: contributors registered since score 0 on it
        uint256[] none; // empty: no sheet to mask
        uint256 oldest; // the earliest of `starts`: contributors registered before it need no mask
        uint256[] scores; // one contributor's scores, per sheet (reused across contributors)
        uint256[] mins; // sum over the page of min(score, consensus), per sheet
        uint256[] maxs; // sum over the page of max(score, consensus), per sheet
        uint256 kappa;
    }

    /// @dev Who slot `j` is scored and paid for in round `round_` (started at `start`): its occupant if
    /// registered before the round started, else the contributor that left it during the round, if any;
    /// the zero address if nobody. (An occupant registered before the start means nobody left the slot
    /// since: the departed record is read only for the other slots.)
    function _scoredIn(
        uint256 j,
        uint256 start,
        uint64 round_
    ) private view returns (address account, uint256 born) {
        Contributor storage c = _contributors[j];
        (account, born) = (c.account, c.registeredAt);
        if (account != address(0) && born < start) return (account, born);
        Departed memory d = _departed[j];
        if (d.round == round_ && d.account != address(0)) return (d.account, d.registeredAt);
        return (address(0), 0);
    }

    /// @dev Consensus for contributors from `f.cursor`, at most `steps` of them; accumulates every
    /// active sheet's agreement sums, and the lagged consensus's. Returns the new cursor and steps left.
    function _consensusPage(Finalization memory f, uint256 steps) private returns (uint16, uint256) {
        Page memory pg = _page(f.activeMask);
        uint256 start = _roundStart;
        uint256 prevStart = _prevRoundStart;
        uint64 round_ = _round;
        uint256 j = f.cursor;
        uint256 sum = _sumConsensus;
        uint256[2] memory lag = [uint256(_lag.minSum), _lag.maxSum];
        uint256 end = _contributorSlotsUsed;
        for (; j < end && steps > 0; ++j) {
            --steps;
            (address account, uint256 born) = _scoredIn(j, start, round_);
            uint256 score = account != address(0) ? _score(pg, j, born) : 0;
            uint256 lagged = PackedScores.swap(_consensusWords, j, score); // last round's consensus
            // Only a contributor scored last round has a history (not a newcomer, nor an empty slot).
            if (account == address(0) || born >= prevStart) lagged = 0;
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
        uint256[] memory since = born < pg.oldest ? pg.none : pg.starts;
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

    /// @dev What every credit of a page reads (one memory struct: the legacy pipeline has few stack slots).
    struct Credit {
        uint256 pool; // the contributors' pool
        uint256 sum; // the round's sum of consensus scores
        uint256 start; // the round's start
        uint256 evictableBefore; // registered at or before this: past immunity
        uint64 round;
    }

    /// @dev Credits contributors from `f.cursor` pro rata to consensus, and lists the lowest-scored ones
    /// past immunity as eviction candidates; returns the new cursor, the amount credited, how many were
    /// credited a reward, and the steps left.
    function _creditPage(
        Finalization memory f,
        uint256 steps,
        uint256 sum
    ) private returns (uint16, uint256 paid, uint256 rewarded, uint256) {
        Credit memory k = Credit(
            (uint256(f.pool) * _params.contributorShare) / BPS,
            sum,
            _roundStart,
            block.timestamp - Math.min(block.timestamp, _params.immunityPeriod),
            _round
        );
        uint256 j = f.cursor;
        uint256 end = _contributorSlotsUsed;
        // The first credit page makes a new list; the next ones go on with it.
        uint256[EVICTION_CANDIDATES] memory list;
        if (j == 0) _candidatesListedAt = block.timestamp.toUint40();
        else list = _loadList();
        for (; j < end && steps > 0; ++j) {
            --steps;
            uint256 reward = _creditOne(k, j, list);
            if (reward > 0) {
                paid += reward;
                ++rewarded;
            }
        }
        _storeList(list);
        _totalClaimable += paid;
        return (j.toUint16(), paid, rewarded, steps);
    }

    /// @dev Credits slot `j`'s scored contributor its share of the pool (returned) and, if it is the
    /// occupant, records its score and lists it when past immunity.
    function _creditOne(
        Credit memory k,
        uint256 j,
        uint256[EVICTION_CANDIDATES] memory list
    ) private returns (uint256 reward) {
        (address account, ) = _scoredIn(j, k.start, k.round);
        if (account == address(0)) return 0;
        uint256 score = PackedScores.get(_consensusWords, j);
        Contributor storage c = _contributors[j];
        // The occupant (not one that left during the round) keeps its score, and may be evicted.
        if (c.account == account) {
            c.lastScore = score.toUint32();
            if (c.registeredAt <= k.evictableBefore) _list(list, ((score + 1) << 16) | j);
        }
        reward = k.sum == 0 ? 0 : (k.pool * score) / k.sum;
        if (reward > 0) _claimable[account] += reward;
        emit ConsensusScore(k.round, account, score, reward);
    }

    /// @dev The stored candidate list, unpacked.
    function _loadList() private view returns (uint256[EVICTION_CANDIDATES] memory list) {
        uint256 perWord = 256 / CANDIDATE_BITS;
        for (uint256 i; i < EVICTION_CANDIDATES; ++i) {
            list[i] =
                (_candidates[i / perWord] >> ((i % perWord) * CANDIDATE_BITS)) & ((1 << CANDIDATE_BITS) - 1);
        }
    }

    /// @dev Packs and stores the candidate list.
    function _storeList(uint256[EVICTION_CANDIDATES] memory list) private {
        uint256 perWord = 256 / CANDIDATE_BITS;
        for (uint256 w; w < CANDIDATE_WORDS; ++w) {
            uint256 word;
            for (uint256 k; k < perWord; ++k) word |= list[w * perWord + k] << (k * CANDIDATE_BITS);
            _candidates[w] = word;
        }
    }

    /// @dev Inserts `entry` (`(score + 1) << 16 | slot`) into the ascending list if it is among the
    /// lowest `EVICTION_CANDIDATES`; zero entries are empty and sort last.
    function _list(uint256[EVICTION_CANDIDATES] memory list, uint256 entry) private pure {
        uint256 last = list[EVICTION_CANDIDATES - 1];
        if (last != 0 && last <= entry) return;
        uint256 i = EVICTION_CANDIDATES - 1;
        for (; i > 0 && (list[i - 1] == 0 || list[i - 1] > entry); --i) list[i] = list[i - 1];
        list[i] = entry;
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
        emit RoundAgreement(_round, r.median, r.lagged);

        for (k = 0; k < n; ++k) {
            // A stale sheet counts in the consensus and earns nothing.
            if ((uint256(f.freshMask) >> slots[k]) & 1 != 0)
                paid += _judge(slots[k], agreements[k], stakes[k], p, r);
        }
        if (sum > 0) {
            uint256 ownerReward = (uint256(f.pool) * (BPS - p.contributorShare - p.validatorShare)) / BPS;
            _claimable[_owner] += ownerReward;
            paid += ownerReward;
        }
        _totalClaimable += paid;
        _pendingEmission -= paid;
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
        // Expelled during the finalization (unstaked or slashed below the minimum): nothing to judge.
        if (account == address(0)) return 0;
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
        emit ValidatorDividend(_round, account, agreement, reward);
        if (v.strikes >= p.maxStrikes) _expel(slot, ExpelReason.LowAgreement);
    }

    /// @dev Expels this round's silent committers and the permits idle for `activityCutoff` rounds, and
    /// starts the next round.
    function _closeRound(Finalization memory f, uint256 paid) private {
        uint64 round_ = _round;
        uint256 cutoff = _params.activityCutoff;
        for (uint256 i; i < MAX_VALIDATORS; ++i) {
            Validator memory v = _validators[i];
            if (v.account == address(0)) continue;
            if (v.commitRound == round_ && v.revealRound != round_) _expel(i, ExpelReason.NoReveal);
            else if (round_ - Math.max(v.revealRound, v.joinRound) >= cutoff) _expel(i, ExpelReason.Inactive);
        }
        emit RoundFinalized(round_, f.pool, paid, _popCount(f.freshMask));
        delete _fin;
        if (_lifecycle == Lifecycle.Live) return _startRound();
        // A retiring subnet's last round: what no sheet could pay (and rounding dust) has no next round
        // to go to, so it goes to the protection fund; then only exits and claims remain. What the bucket
        // allocated since this round's intake (a kill or a launch splits before retiring, maybe while the
        // round was paged) is taken in first: a retired subnet never pulls again.
        _intake();
        uint256 leftover = _pendingEmission;
        _pendingEmission = 0;
        _lifecycle = Lifecycle.Retired;
        emit Retired(round_, leftover);
        if (leftover > 0) _token.safeTransfer(_protectionFund, leftover);
    }

    /// @dev Pulls this subnet's allocation and books every unaccounted token as emission.
    function _intake() private {
        uint256 toBurn = _feesToBurn;
        if (toBurn > 0) {
            _feesToBurn = 0;
            _feesBurned += toBurn;
            emit FeesBurned(_round, toBurn);
            ERC20Burnable(address(_token)).burn(toBurn);
        }
        _bucketOf().pull();
        uint256 accounted = _totalBonds + _totalStake + _totalUnbonding + _totalClaimable + _pendingEmission;
        uint256 balance = _token.balanceOf(address(this));
        if (balance > accounted) _pendingEmission += balance - accounted;
    }

    /// @dev The validator slots whose last sheet is in force (revealed within `activityCutoff` rounds),
    /// and those of them that revealed this round, as bit masks.
    function _activeSheets() private view returns (uint64 active, uint64 fresh) {
        uint64 round_ = _round;
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
                                   FEES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function payFee(uint256 amount, bytes32 ref) external nonReentrant {
        _payFee(msg.sender, amount, ref);
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
        _token.safeTransfer(account, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                   VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISubnet
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @inheritdoc ISubnet
    function bucket() external view returns (IContributionBucket) {
        return _bucketOf();
    }

    /// @inheritdoc ISubnet
    function protectionFund() external view returns (address) {
        return _protectionFund;
    }

    /// @inheritdoc ISubnet
    function owner() external view returns (address) {
        return _owner;
    }

    /// @inheritdoc ISubnet
    function name() external view returns (string memory) {
        return _nameOf();
    }

    /// @inheritdoc ISubnet
    function feesToBurn() external view returns (uint256) {
        return _feesToBurn;
    }

    /// @inheritdoc ISubnet
    function lifecycle() external view returns (Lifecycle) {
        return _lifecycle;
    }

    /// @inheritdoc ISubnet
    function fees() external view returns (uint256 paid, uint256 burned) {
        return (_feesPaid, _feesBurned + _feesToBurn);
    }

    /// @inheritdoc ISubnet
    function metadataURI() external view returns (string memory) {
        return _metadataURI;
    }

    /// @inheritdoc ISubnet
    function round() external view returns (uint64) {
        return _round;
    }

    /// @inheritdoc ISubnet
    function roundStart() external view returns (uint40) {
        return _roundStart;
    }

    /// @inheritdoc ISubnet
    function contributorCount() external view returns (uint256) {
        return _contributorCount;
    }

    /// @inheritdoc ISubnet
    function contributorSlotsUsed() external view returns (uint256) {
        return _contributorSlotsUsed;
    }

    /// @inheritdoc ISubnet
    function validatorCount() external view returns (uint256) {
        return _validatorCount;
    }

    /// @inheritdoc ISubnet
    function validatorSlotsUsed() external view returns (uint256) {
        return _validatorSlotsUsed;
    }

    /// @inheritdoc ISubnet
    function totalBonds() external view returns (uint256) {
        return _totalBonds;
    }

    /// @inheritdoc ISubnet
    function totalStake() external view returns (uint256) {
        return _totalStake;
    }

    /// @inheritdoc ISubnet
    function totalUnbonding() external view returns (uint256) {
        return _totalUnbonding;
    }

    /// @inheritdoc ISubnet
    function totalClaimable() external view returns (uint256) {
        return _totalClaimable;
    }

    /// @inheritdoc ISubnet
    function pendingEmission() external view returns (uint256) {
        return _pendingEmission;
    }

    /// @inheritdoc ISubnet
    function phase() external view returns (Phase) {
        return _phase();
    }

    /// @inheritdoc ISubnet
    function claimable(address account) external view returns (uint256) {
        return _claimable[account];
    }

    /// @inheritdoc ISubnet
    function params() external view returns (Params memory current, Params memory next) {
        return (_params, _paramsQueued ? _nextParams : _params);
    }

    /// @inheritdoc ISubnet
    function metricWeights() external view returns (uint16[] memory current, uint16[] memory next) {
        return (_metricWeights, _weightsQueued ? _nextMetricWeights : _metricWeights);
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
        Unbonding[] storage parts = _unbondings[account];
        for (uint256 i; i < parts.length; ++i) {
            amount += parts[i].amount;
            releaseAt = Math.max(releaseAt, parts[i].releaseAt);
        }
    }

    /// @inheritdoc ISubnet
    function unbondings(address account) external view returns (Unbonding[] memory) {
        return _unbondings[account];
    }

    /// @inheritdoc ISubnet
    function registrationFee() external view returns (uint256) {
        return _registrationFee();
    }

    /// @inheritdoc ISubnet
    function registrationPricing() external view returns (RegistrationPricing memory) {
        return _pricingNow();
    }

    /// @inheritdoc ISubnet
    function keeperTipBps() external view returns (uint256) {
        return _keeperTipBps;
    }

    /// @inheritdoc ISubnet
    function evictionCandidates() external view returns (uint256[] memory slots) {
        uint256[EVICTION_CANDIDATES] memory list = _loadList();
        uint256 n;
        while (n < EVICTION_CANDIDATES && list[n] != 0) ++n;
        slots = new uint256[](n);
        for (uint256 i; i < n; ++i) slots[i] = list[i] & 0xffff;
    }

    /// @inheritdoc ISubnet
    function consensusScore(uint256 slot) external view returns (uint256) {
        return PackedScores.get(_consensusWords, slot);
    }

    /// @inheritdoc ISubnet
    function roundTimes() external view returns (uint256 start, uint256 commitEnd, uint256 revealEnd) {
        start = _roundStart;
        commitEnd = start + _params.commitDuration;
        revealEnd = commitEnd + _params.revealDuration;
    }

    /// @inheritdoc ISubnet
    function finalization() external view returns (FinalizationStage stage, uint256 cursor) {
        return (_fin.stage, _fin.cursor);
    }
}
