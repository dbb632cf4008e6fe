// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ContributionBucket} from "../../contracts/contribution/ContributionBucket.sol";
import {Subnet} from "../../contracts/contribution/Subnet.sol";
import {ISubnet} from "../../contracts/interfaces/ISubnet.sol";
import {Treasury} from "../../contracts/governance/Treasury.sol";
import {TetradAccessManager} from "../../contracts/governance/TetradAccessManager.sol";
import {MockStakeToken} from "../../contracts/mocks/MockStakeToken.sol";
import {StandaloneSubnet, TetradTest} from "../utils/TetradTest.sol";
import {InvariantTargets} from "../utils/InvariantTargets.sol";
import {GovernedHandler, PausableHandler} from "../utils/GovernedHandler.sol";

/// @notice Drives one subnet: contributors come and go, validators stake, unstake and get slashed,
/// honest validators reveal the truth, colluders inflate contributor 0 and zero the rest, some
/// validators skip their reveal, others go offline for rounds (their last sheet stale, then their permit idle
/// past activityCutoff) and come back, emission arrives, rounds finalize in random page sizes, people claim.
/// Governance (this handler is the AccessManagers' admin) slashes, pauses, queues settings and metric
/// weights, reweights the bucket between this subnet and another, releases the protection fund and moves
/// contracts between AccessManagers; the owner renames and hands over the subnet; strangers try it all.
contract SubnetHandler is PausableHandler {
    uint256 internal constant CONTRIBUTORS = 6;
    uint256 internal constant VALIDATORS = 5; // slots 0-2 honest, 3-4 colluders
    uint256 internal constant COLLUDERS_FROM = 3;
    uint256 internal constant OWNERS = 3;
    /// @dev A second subnet of the bucket (an account that pulls its allocation).
    address internal constant OTHER_SUBNET = address(0x07E4);

    Subnet public immutable subnet;
    MockStakeToken public immutable token;
    ContributionBucket public immutable bucket;
    Treasury public immutable fund;
    address[CONTRIBUTORS] internal contributors;
    address[VALIDATORS] internal validators;
    address[OWNERS] internal owners;

    uint256 public ghostBondsIn;
    uint256 public ghostBondsOut;
    uint256 public ghostStakeIn;
    uint256 public ghostStakeOut;
    uint256 public ghostSlashed;
    uint256 public ghostEmissionIn;
    uint256 public ghostClaimed;
    bool public ghostClaimMismatch;
    bool public ghostEmissionNotConserved;
    bool public ghostColludersLifted;
    uint256 public roundsWithReveals;
    uint256 public ghostReleased; // protection fund paid out by governance
    uint256 public ghostPulledByOther; // emission the other subnet pulled from the bucket
    bool public ghostPausedEntryWorked;
    bool public ghostExitBlockedByPause;
    bool public ghostStrangerChangedSomething;
    address public ghostOwner;
    bytes32 public ghostURIHash;
    /// @dev keccak of the settings / metric weights last queued, and of those queued when the current
    /// round started (the ones in force).
    bytes32 public ghostQueuedParams;
    bytes32 public ghostAppliedParams;
    bytes32 public ghostQueuedWeights;
    bytes32 public ghostAppliedWeights;
    mapping(address target => address) public ghostAuthority;

    // ----- issue 14: liveness, dividends, discipline -----
    /// @dev Validators (by index) that are offline: they neither commit nor reveal until they wake, so
    /// their last sheet goes stale and, past `activityCutoff` rounds, their permit idle.
    uint256 public asleepMask;
    /// @dev The round being finalized: its emission (pending + intake at its first page).
    uint256 public ghostRoundPool;
    /// @dev (a) A round whose validator dividends exceeded pool * validatorShare / 10000.
    bool public ghostValidatorsOverpaid;
    uint256 public ghostMaxValidatorPaidBps; // the largest paid / (pool * validatorShare) seen, in bps
    /// @dev (b) Every credit of every finalization page (the growth of totalClaimable), and the emission
    /// each page paid (pendingEmission + intake - pendingEmission after), summed.
    uint256 public ghostCredited;
    uint256 public ghostEmissionPaid;
    /// @dev A validator that did not reveal in the round was credited at its finalization.
    bool public ghostStalePaid;
    /// @dev The last finalized round and the settings in force for it (strikes and idleness are judged
    /// with those), and those of the round being finalized (read at its first page).
    uint256 public ghostLastFinalized;
    uint256 public ghostLastMaxStrikes;
    uint256 public ghostLastCutoff;
    ISubnet.Params internal roundParams;
    /// @dev Each validator's credit as last seen (at a round's close or its claim; only these move it),
    /// and the last round it revealed in.
    uint256[VALIDATORS] internal creditSeen;
    uint256[VALIDATORS] internal revealedIn;
    uint256 public staleRounds; // finalized rounds in which some validator did not reveal

    // ----- issue 15: fees burned, keeper tips, unbonding parts, exits never blocked -----
    /// @dev Every token this handler minted, and every registration fee burned.
    uint256 public ghostMinted;
    uint256 public ghostFeesBurned;
    /// @dev A round whose keeper tips (this handler finalizes) exceeded MAX_KEEPER_TIP_BPS of its pool.
    bool public ghostTipsOverCap;
    uint256 internal tipsThisRound;
    /// @dev An unbonding part withdrawn before its release time, or a part's release moved earlier.
    bool public ghostReleasedEarly;

    uint256 internal truthSeed;
    mapping(address => bytes) internal sheetOf;
    mapping(address => bytes32) internal saltOf;

    constructor(
        Subnet subnet_,
        MockStakeToken token_,
        ContributionBucket bucket_,
        Treasury fund_,
        TetradAccessManager manager_,
        TetradAccessManager spare
    ) GovernedHandler(manager_, spare) {
        subnet = subnet_;
        token = token_;
        bucket = bucket_;
        fund = fund_;
        for (uint256 i; i < CONTRIBUTORS; ++i) contributors[i] = _approved(address(uint160(0xC0 + i)));
        for (uint256 i; i < VALIDATORS; ++i) validators[i] = _approved(address(uint160(0xD0 + i)));
        for (uint256 i; i < OWNERS; ++i) owners[i] = address(uint160(0xBEEF + i));
        ghostOwner = subnet_.owner();
        ghostURIHash = keccak256(bytes(subnet_.metadataURI()));
        (ISubnet.Params memory current, ISubnet.Params memory next) = subnet_.params();
        ghostAppliedParams = keccak256(abi.encode(current));
        ghostQueuedParams = keccak256(abi.encode(next));
        (uint16[] memory w, uint16[] memory nextW) = subnet_.metricWeights();
        ghostAppliedWeights = keccak256(abi.encode(w));
        ghostQueuedWeights = keccak256(abi.encode(nextW));
        ghostAuthority[address(subnet_)] = address(manager_);
        ghostAuthority[address(bucket_)] = address(manager_);
        ghostAuthority[address(fund_)] = address(manager_);
    }

    function _approved(address a) internal returns (address) {
        vm.prank(a);
        token.approve(address(subnet), type(uint256).max);
        return a;
    }

    // ----- contributors -----

    function register(uint256 seed) external {
        address c = contributors[seed % CONTRIBUTORS];
        (ISubnet.Params memory p, ) = subnet.params();
        uint256 fee = subnet.registrationFee();
        token.mint(c, p.bond + fee);
        ghostMinted += p.bond + fee;
        uint256 before = token.balanceOf(c);
        vm.prank(c);
        try subnet.register("") {
            ghostBondsIn += p.bond;
            // What left the newcomer beyond its bond was the fee, burned (an evicted contributor's refund
            // goes to someone else).
            ghostFeesBurned += before - token.balanceOf(c) - p.bond;
            if (ghostPaused) ghostPausedEntryWorked = true;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function deregister(uint256 seed) external {
        address c = contributors[seed % CONTRIBUTORS];
        uint256 before = token.balanceOf(c);
        // Paused, only the bond comes back; the rewards stay claimable.
        uint256 owed = subnet.paused() ? 0 : subnet.claimable(c);
        vm.prank(c);
        try subnet.deregister() {
            uint256 back = token.balanceOf(c) - before;
            ghostBondsOut += back - owed;
            ghostClaimed += owed;
        } catch (bytes memory reason) {
            _exitRefused(reason);
        }
    }

    // ----- validators -----

    function stake(uint256 seed, uint256 amount) external {
        address v = validators[seed % VALIDATORS];
        amount = bound(amount, 100 ether, 1_000 ether);
        token.mint(v, amount);
        ghostMinted += amount;
        vm.prank(v);
        try subnet.stake(amount) {
            ghostStakeIn += amount;
            if (ghostPaused) ghostPausedEntryWorked = true;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    function unstake(uint256 seed, uint256 amount) external {
        address v = validators[seed % VALIDATORS];
        amount = bound(amount, 1, 1_000 ether);
        vm.prank(v);
        try subnet.unstake(amount) {} catch (bytes memory reason) {
            _exitRefused(reason);
        }
    }

    function withdrawUnbonded(uint256 seed) external {
        address v = validators[seed % VALIDATORS];
        ISubnet.Unbonding[] memory parts = subnet.unbondings(v);
        uint256 due;
        for (uint256 i; i < parts.length; ++i)
            if (parts[i].releaseAt <= block.timestamp) due += parts[i].amount;
        uint256 before = token.balanceOf(v);
        vm.prank(v);
        try subnet.withdrawUnbonded() {
            uint256 got = token.balanceOf(v) - before;
            if (got != due) ghostReleasedEarly = true;
            ghostStakeOut += got;
        } catch (bytes memory reason) {
            _exitRefused(reason);
        }
    }

    function slash(uint256 seed, uint256 amount) external {
        address v = validators[seed % VALIDATORS];
        amount = bound(amount, 1, 2_000 ether);
        uint256 before = token.balanceOf(address(fund));
        try subnet.slash(v, amount) {
            ghostSlashed += token.balanceOf(address(fund)) - before;
        } catch {} // solhint-disable-line no-empty-blocks
    }

    // ----- rounds -----

    function commitAll(uint256 seed) public {
        if (subnet.phase() != ISubnet.Phase.Commit) return;
        truthSeed = seed;
        uint256 round = subnet.round();
        for (uint256 i; i < VALIDATORS; ++i) {
            address v = validators[i];
            if ((asleepMask >> i) & 1 == 1) continue; // offline: no commitment, its last sheet goes stale
            try subnet.validatorSlot(v) returns (uint256) {} catch {
                continue;
            }
            bytes memory sheet = _sheet(i >= COLLUDERS_FROM);
            bytes32 salt = keccak256(abi.encode(seed, i));
            sheetOf[v] = sheet;
            saltOf[v] = salt;
            vm.prank(v);
            subnet.commit(keccak256(abi.encode(address(subnet), round, v, salt, keccak256(sheet))));
        }
    }

    function revealAll(uint256 skipMask) public {
        if (subnet.phase() != ISubnet.Phase.Reveal) return;
        for (uint256 i; i < VALIDATORS; ++i) {
            if ((skipMask >> i) & 1 == 1 && skipMask % 3 == 0) continue; // sometimes someone skips
            if ((asleepMask >> i) & 1 == 1) continue;
            address v = validators[i];
            vm.prank(v);
            try subnet.reveal(sheetOf[v], saltOf[v]) {
                revealedIn[i] = subnet.round();
            } catch {} // solhint-disable-line no-empty-blocks
        }
    }

    function finalize(uint256 steps) public {
        if (subnet.phase() != ISubnet.Phase.Closed) return;
        steps = bound(steps, 1, 16);
        uint256 balance = token.balanceOf(address(subnet));
        uint256 round = subnet.round();
        (uint256 honestMax, uint256 honestStake, uint256 colluderStake) = _revealedStakes();
        (ISubnet.FinalizationStage stage, ) = subnet.finalization();
        if (stage == ISubnet.FinalizationStage.Idle) (roundParams, ) = subnet.params();
        uint256 pendingBefore = subnet.pendingEmission();
        uint256 claimableBefore = subnet.totalClaimable();
        uint256 tipBefore = subnet.claimable(address(this));
        bool done;
        try subnet.finalizeRound(steps) returns (bool d) {
            done = d;
            // Finalization credits rewards and starts rounds: a pause stops it.
            if (ghostPaused) ghostPausedEntryWorked = true;
        } catch {
            return;
        }
        // This handler is the keeper: its credit grows by its tips only.
        tipsThisRound += subnet.claimable(address(this)) - tipBefore;
        // Finalization only takes in (the bucket's allocation) and credits: what came in is all there.
        uint256 intake = token.balanceOf(address(subnet)) - balance;
        uint256 credited = subnet.totalClaimable() - claimableBefore;
        uint256 taken = pendingBefore + intake - subnet.pendingEmission();
        if (credited != taken) ghostEmissionNotConserved = true;
        ghostCredited += credited;
        ghostEmissionPaid += taken;
        if (stage == ISubnet.FinalizationStage.Idle) ghostRoundPool = pendingBefore + intake;
        if (subnet.round() != round) {
            if (tipsThisRound * 10_000 > ghostRoundPool * subnet.MAX_KEEPER_TIP_BPS())
                ghostTipsOverCap = true;
            tipsThisRound = 0;
        }
        if (subnet.round() != round) _checkClosedRound(round);
        if (subnet.round() != round) {
            // A new round starts with the settings and weights queued last.
            ghostAppliedParams = ghostQueuedParams;
            ghostAppliedWeights = ghostQueuedWeights;
        }
        if (done && honestStake > 0) {
            ++roundsWithReveals;
            // With less than half of the revealed stake, colluders cannot lift contributor 0 above the
            // honest score for it (all honest validators report the same truth; kappa is at least half).
            if (colluderStake < honestStake) {
                try subnet.contributorSlot(contributors[0]) returns (uint256 slot) {
                    if (subnet.consensusScore(slot) > honestMax) ghostColludersLifted = true;
                } catch {} // solhint-disable-line no-empty-blocks
            }
        }
    }

    /// @dev A whole round in one step (the single steps above rarely line up by chance): finish the
    /// round under way, then commit, reveal (someone may skip) and finalize in random page sizes.
    function playRound(uint256 seed, uint256 skipMask) external {
        _finishRound(seed);
        commitAll(seed);
        (, uint256 commitEnd, uint256 revealEnd) = subnet.roundTimes();
        vm.warp(commitEnd);
        revealAll(skipMask);
        vm.warp(revealEnd);
        _finishRound(seed);
    }

    /// @dev Validator `seed % VALIDATORS` goes offline, or comes back (its stale sheet, if still in
    /// force, is replaced by its next reveal).
    function toggleAsleep(uint256 seed) external {
        asleepMask ^= 1 << (seed % VALIDATORS);
    }

    /// @dev One or two whole rounds in a row, so that offline validators' sheets go stale and their
    /// permits idle past `activityCutoff` within one campaign; someone may be put to sleep or woken first.
    function playRounds(uint256 seed, uint256 n) external {
        if (seed % 4 == 0) asleepMask ^= 1 << ((seed >> 8) % VALIDATORS);
        n = bound(n, 1, 2); // (more per call would double the campaigns' time)
        for (uint256 r; r < n; ++r) {
            uint256 s = uint256(keccak256(abi.encode(seed, r)));
            _finishRound(s);
            if (ghostPaused) return;
            commitAll(s);
            (, uint256 commitEnd, uint256 revealEnd) = subnet.roundTimes();
            vm.warp(commitEnd);
            revealAll(s >> 16);
            vm.warp(revealEnd);
            _finishRound(s);
        }
    }

    function _finishRound(uint256 seed) internal {
        (, , uint256 revealEnd) = subnet.roundTimes();
        if (block.timestamp < revealEnd) vm.warp(revealEnd);
        uint256 round = subnet.round();
        // At most 2 * 256 slots in pages of at least one, plus the opening step.
        for (uint256 i; i < 520 && subnet.round() == round && !ghostPaused; ++i) {
            finalize(uint256(keccak256(abi.encode(seed, i))));
        }
    }

    function claim(uint256 seed) external {
        address a = seed % 2 == 0 ? contributors[seed % CONTRIBUTORS] : validators[seed % VALIDATORS];
        _claimChecked(a, a);
    }

    /// @dev Anyone claims for a contributor, a validator or one of the (past and present) owners.
    function claimFor(uint256 seed, uint256 callerSeed) external {
        uint256 k = seed % (CONTRIBUTORS + VALIDATORS + OWNERS);
        address a =
            k < CONTRIBUTORS
                ? contributors[k]
                : (
                    k < CONTRIBUTORS + VALIDATORS
                        ? validators[k - CONTRIBUTORS]
                        : owners[k - CONTRIBUTORS - VALIDATORS]
                );
        _claimChecked(a, address(uint160(bound(callerSeed, 1, type(uint160).max))));
    }

    /// @dev Emission reaches the bucket and is split, by a permissionless `allocate` or by the hook the
    /// controller calls (this handler holds the role).
    function fundEmission(uint256 amount, bool hook) external {
        amount = bound(amount, 0, 10_000 ether);
        token.mint(address(bucket), amount);
        ghostMinted += amount;
        if (hook) bucket.onEmission(2, amount);
        else bucket.allocate();
        ghostEmissionIn += amount;
    }

    /// @dev The bucket's other subnet takes its allocation.
    function otherSubnetPulls() external {
        uint256 before = token.balanceOf(OTHER_SUBNET);
        vm.prank(OTHER_SUBNET);
        bucket.pull();
        ghostPulledByOther += token.balanceOf(OTHER_SUBNET) - before;
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 2 hours));
    }

    /// @dev Past the unbonding delay (at least 15 days), so withdrawals happen within a campaign.
    function warpPastUnbonding(uint256 seconds_) external {
        (ISubnet.Params memory p, ) = subnet.params();
        vm.warp(block.timestamp + p.unbondingDelay + bound(seconds_, 0, 1 days));
    }

    /// @dev Governance reprices registration (cheap or dear, fast or slow intervals).
    function setRegistrationPricing(uint256 seed) external {
        uint96 minFee = uint96(bound(seed, 0, 5 ether));
        subnet.setRegistrationPricing(
            ISubnet.RegistrationPricing({
                minFee: minFee,
                maxFee: minFee + uint96(bound(seed >> 64, 0, 100 ether)),
                interval: uint32(bound(seed >> 128, 1 hours, 2 days)),
                target: uint16(bound(seed >> 160, 1, 8)),
                evictionFloorBps: uint32(bound(seed >> 176, 0, 50_000))
            })
        );
    }

    function setKeeperTip(uint256 bps) external {
        subnet.setKeeperTip(bound(bps, 0, 100));
    }

    // ----- governance -----

    /// @dev The bucket's weights: this subnet alone, shared with another subnet, or no subnet at all
    /// (everything is carried until weights exist again).
    function setBucketWeights(uint256 seed) external {
        uint256 kind = seed % 4;
        uint256 n = kind == 0 ? 0 : (kind == 1 ? 1 : 2);
        address[] memory subnets = new address[](n);
        uint16[] memory bps = new uint16[](n);
        if (n == 1) {
            subnets[0] = address(subnet);
            bps[0] = 10_000;
        } else if (n == 2) {
            subnets[0] = address(subnet);
            subnets[1] = OTHER_SUBNET;
            bps[0] = uint16(bound(seed >> 8, 0, 10_000));
            bps[1] = 10_000 - bps[0];
        }
        bucket.setFloors(subnets, bps);
    }

    function setParams(uint256 seed) external {
        ISubnet.Params memory p;
        p.commitDuration = uint32(bound(uint256(keccak256(abi.encode(seed, 0))), 1 hours, 3 hours));
        p.revealDuration = uint32(bound(uint256(keccak256(abi.encode(seed, 1))), 1 hours, 3 hours));
        p.immunityPeriod = uint32(bound(uint256(keccak256(abi.encode(seed, 2))), 0, 2 days));
        p.unbondingDelay = uint32(bound(uint256(keccak256(abi.encode(seed, 3))), 15 days, 17 days));
        // Kappa stays at least half the stake: the collusion invariant relies on it.
        p.kappa = uint16(bound(uint256(keccak256(abi.encode(seed, 4))), 5_000, 10_000));
        p.contributorShare = uint16(bound(uint256(keccak256(abi.encode(seed, 5))), 5_000, 9_000));
        p.validatorShare = uint16(
            bound(uint256(keccak256(abi.encode(seed, 6))), 0, 10_000 - p.contributorShare)
        );
        p.agreementThreshold = uint16(bound(uint256(keccak256(abi.encode(seed, 7))), 0, 9_000));
        p.maxStrikes = uint8(bound(uint256(keccak256(abi.encode(seed, 8))), 1, 4));
        p.activityCutoff = uint8(bound(uint256(keccak256(abi.encode(seed, 11))), 1, 4));
        p.relativeThreshold = uint16(bound(uint256(keccak256(abi.encode(seed, 12))), 0, 9_500));
        p.edgeShare = uint16(bound(uint256(keccak256(abi.encode(seed, 13))), 1, 10_000));
        p.edgeFloor = uint16(bound(uint256(keccak256(abi.encode(seed, 14))), 1, 10_000));
        p.bond = uint96(bound(uint256(keccak256(abi.encode(seed, 9))), 0, 50 ether));
        p.minValidatorStake = uint96(bound(uint256(keccak256(abi.encode(seed, 10))), 50 ether, 200 ether));
        subnet.setParams(p);
        ghostQueuedParams = keccak256(abi.encode(p));
    }

    function setMetricWeights(uint256 seed) external {
        uint16[] memory w = new uint16[](2); // the sheets have two metrics
        w[0] = uint16(bound(seed, 0, 10_000));
        w[1] = 10_000 - w[0];
        subnet.setMetricWeights(w);
        ghostQueuedWeights = keccak256(abi.encode(w));
    }

    function pause() external {
        _setPaused(address(this), address(subnet), true);
    }

    function unpause() external {
        _setPaused(address(this), address(subnet), false);
    }

    /// @dev Governance pays out of the protection fund (what slashing put there).
    function release(uint256 amount) external {
        uint256 held = token.balanceOf(address(fund));
        if (held == 0) return;
        amount = bound(amount, 1, held);
        fund.release(IERC20(address(token)), OUTSIDER, amount);
        ghostReleased += amount;
    }

    /// @dev Moves the subnet, the bucket or the fund to the other AccessManager (this handler
    /// administers both).
    function migrateAuthority(uint256 which) external {
        address target =
            which % 3 == 0 ? address(subnet) : (which % 3 == 1 ? address(bucket) : address(fund));
        ghostAuthority[target] = _migrate(address(this), target, ghostAuthority[target]);
    }

    // ----- the owner -----

    function setMetadataURI(uint256 seed) external {
        string memory uri = string(abi.encodePacked("ipfs://subnet/", bytes32(seed)));
        vm.prank(ghostOwner);
        subnet.setMetadataURI(uri);
        ghostURIHash = keccak256(bytes(uri));
    }

    function transferOwnership(uint256 seed) external {
        address next = owners[seed % OWNERS];
        vm.prank(ghostOwner);
        subnet.transferOwnership(next);
        ghostOwner = next;
    }

    // ----- strangers -----

    /// @dev Someone who is neither governance nor the owner tries a privileged function; all must refuse.
    function strangerTries(uint256 callerSeed, uint256 which) external {
        address caller = address(uint160(bound(callerSeed, 1, type(uint160).max)));
        if (caller == address(this) || caller == ghostOwner) return;
        if (_isManager(caller)) return;
        (ISubnet.Params memory p, ) = subnet.params();
        uint16[] memory w = new uint16[](1);
        w[0] = 10_000;
        address[] memory none = new address[](0);
        uint16[] memory noWeights = new uint16[](0);
        address target = address(subnet);
        bytes memory call;
        which %= 15;
        if (which == 0) call = abi.encodeCall(Subnet.setParams, (p));
        else if (which == 1) call = abi.encodeCall(Subnet.setMetricWeights, (w));
        else if (which == 2) call = abi.encodeCall(Subnet.slash, (validators[0], 1));
        else if (which == 3) call = abi.encodeCall(Subnet.pause, ());
        else if (which == 4) call = abi.encodeCall(Subnet.unpause, ());
        else if (which == 5) call = abi.encodeCall(Subnet.setMetadataURI, ("pwned"));
        else if (which == 6) call = abi.encodeCall(Subnet.transferOwnership, (caller));
        else if (which == 7) call = abi.encodeCall(IAccessManaged.setAuthority, (caller));
        else if (which == 13) call = abi.encodeCall(Subnet.setKeeperTip, (100));
        else if (which == 14)
            call = abi.encodeCall(
                Subnet.setRegistrationPricing,
                (ISubnet.RegistrationPricing(0, 0, 1 days, 1, 0))
            );
        else {
            target = which < 10 ? address(bucket) : address(fund);
            if (which == 8) call = abi.encodeCall(ContributionBucket.setFloors, (none, noWeights));
            else if (which == 9) call = abi.encodeCall(ContributionBucket.onEmission, (2, 0));
            else if (which == 10)
                call = abi.encodeCall(Treasury.release, (IERC20(address(token)), caller, 1));
            else call = abi.encodeCall(IAccessManaged.setAuthority, (caller));
            if (which == 12) target = address(bucket);
        }
        vm.prank(caller);
        (bool ok, ) = target.call(call);
        if (ok) ghostStrangerChangedSomething = true;
    }

    // ----- views for the invariants -----

    function ownerAt(uint256 i) external view returns (address) {
        return owners[i];
    }

    // ----- helpers -----

    /// @dev At the page that closed `round`: (a) the validators' dividends within the validator share of
    /// the round's pool, and nothing for those that did not reveal in it (stale sheets, idle permits);
    /// the settings in force recorded for (c) and (e).
    function _checkClosedRound(uint256 round) internal {
        uint256 dividends;
        bool stale;
        for (uint256 i; i < VALIDATORS; ++i) {
            uint256 credit = subnet.claimable(validators[i]);
            uint256 gained = credit - creditSeen[i];
            creditSeen[i] = credit;
            dividends += gained;
            if (revealedIn[i] != round) {
                stale = true;
                if (gained != 0) ghostStalePaid = true;
            }
        }
        if (stale) ++staleRounds;
        uint256 share = (ghostRoundPool * roundParams.validatorShare) / 10_000;
        if (dividends > share) ghostValidatorsOverpaid = true;
        if (share > 0 && (dividends * 10_000) / share > ghostMaxValidatorPaidBps)
            ghostMaxValidatorPaidBps = (dividends * 10_000) / share;
        ghostLastFinalized = round;
        ghostLastMaxStrikes = roundParams.maxStrikes;
        ghostLastCutoff = roundParams.activityCutoff;
    }

    /// @dev Every account's credit, summed (contributors, validators, the past and present owners:
    /// everyone a finalization can credit).
    function creditsOfEveryone() external view returns (uint256 all) {
        for (uint256 i; i < VALIDATORS; ++i) all += subnet.claimable(validators[i]);
        for (uint256 i; i < CONTRIBUTORS; ++i) all += subnet.claimable(contributors[i]);
        for (uint256 i; i < OWNERS; ++i) all += subnet.claimable(owners[i]);
        all += subnet.claimable(address(this)); // keeper tips
    }

    function validatorAt(uint256 i) external view returns (address) {
        return validators[i];
    }

    /// @dev Claims `a`'s credit (as `a`, or for it by `caller`) and checks it paid exactly the credit;
    /// while paused the claim must be refused.
    function _claimChecked(address a, address caller) internal {
        uint256 owed = subnet.claimable(a);
        uint256 before = token.balanceOf(a);
        vm.prank(caller);
        (bool ok, ) = address(subnet).call(
            caller == a ? abi.encodeCall(Subnet.claim, ()) : abi.encodeCall(Subnet.claimFor, (a))
        );
        if (!ok) {
            if (!ghostPaused) ghostClaimMismatch = true;
            return;
        }
        if (ghostPaused) ghostPausedEntryWorked = true;
        uint256 got = token.balanceOf(a) - before;
        if (got != owed) ghostClaimMismatch = true;
        ghostClaimed += got;
        for (uint256 i; i < VALIDATORS; ++i) if (validators[i] == a) creditSeen[i] = 0;
    }

    /// @dev The keeper (this handler) claims its tips.
    function claimTips() external {
        _claimChecked(address(this), address(this));
    }

    /// @dev Exits (deregister, unstake, withdrawal of unbonded stake) are never paused.
    function _exitRefused(bytes memory reason) internal {
        if (reason.length >= 4 && bytes4(reason) == Pausable.EnforcedPause.selector)
            ghostExitBlockedByPause = true;
    }

    /// @dev Contributor 0's slot (the colluders' friend), or max when it holds none.
    function _friendSlot() internal view returns (uint256) {
        try subnet.contributorSlot(contributors[0]) returns (uint256 slot) {
            return slot;
        } catch {
            return type(uint256).max;
        }
    }

    /// @dev Honest: the round's truth for every registered slot; colluder: 65,535 for contributor 0's
    /// slot, zero elsewhere.
    function _sheet(bool colluder) internal view returns (bytes memory sheet) {
        uint256 rows = subnet.contributorSlotsUsed();
        uint256 friend = _friendSlot();
        for (uint256 j; j < rows; ++j) {
            for (uint256 m; m < 2; ++m) {
                uint16 value =
                    colluder
                        ? (j == friend ? type(uint16).max : 0)
                        : uint16(uint256(keccak256(abi.encode(truthSeed, j, m))) % 30_000);
                sheet = bytes.concat(sheet, bytes2(value));
            }
        }
    }

    /// @dev Revealed stake of honest validators and colluders this round, and the honest folded score
    /// of contributor 0's slot.
    function _revealedStakes()
        internal
        view
        returns (uint256 honestMax, uint256 honestStake, uint256 colluderStake)
    {
        uint256 round = subnet.round();
        uint256 friend = _friendSlot();
        for (uint256 i; i < VALIDATORS; ++i) {
            try subnet.validatorSlot(validators[i]) returns (uint256 slot) {
                Subnet.Validator memory v = subnet.validatorAt(slot);
                if (v.revealRound != round) continue;
                if (i >= COLLUDERS_FROM) colluderStake += v.stake;
                else honestStake += v.stake;
            } catch {} // solhint-disable-line no-empty-blocks
        }
        if (friend != type(uint256).max) {
            (uint16[] memory weights, ) = subnet.metricWeights();
            honestMax =
                (uint256(keccak256(abi.encode(truthSeed, friend, uint256(0)))) % 30_000) * weights[0] +
                (uint256(keccak256(abi.encode(truthSeed, friend, uint256(1)))) % 30_000) * weights[1];
        }
    }
}

/// @notice Proof-of-contribution invariants: solvency, conservation of bonds, stakes and emission,
/// slashing only to the protection fund, exact claims, and colluders under half the stake unable to lift
/// a score above the honest one; for the issue-14 rule (notes/spec14.md): validator dividends within the
/// validator share and none for stale sheets, credits equal to the emission paid, strikes under the limit,
/// sheets in force only for permit holders, and no idle permit surviving a finalization.
contract SubnetInvariantTest is TetradTest, InvariantTargets {
    Subnet internal subnet;
    MockStakeToken internal token;
    ContributionBucket internal bucket;
    Treasury internal fund;
    SubnetHandler internal handler;

    function setUp() public {
        uint16[] memory w = new uint16[](2);
        w[0] = 6000;
        w[1] = 4000;
        StandaloneSubnet memory s = deployStandaloneSubnet(shortSubnetParams(), w);
        TetradAccessManager manager = s.manager;
        (token, bucket, fund, subnet) = (s.token, s.bucket, s.fund, s.subnet);
        // A second AccessManager for authority migrations; the handler plays governance in both.
        TetradAccessManager spare = new TetradAccessManager(address(this));
        handler = new SubnetHandler(subnet, token, bucket, fund, manager, spare);
        manager.grantRole(0, address(handler), 0);
        spare.grantRole(0, address(handler), 0);
    }

    function _targets() internal view override returns (address, bytes memory) {
        // prettier-ignore
        return (address(handler), abi.encodePacked([handler.register.selector, handler.deregister.selector,
            handler.stake.selector, handler.unstake.selector, handler.withdrawUnbonded.selector,
            handler.slash.selector, handler.commitAll.selector, handler.revealAll.selector,
            handler.finalize.selector, handler.claim.selector, handler.fundEmission.selector,
            handler.warp.selector, handler.claimFor.selector, handler.otherSubnetPulls.selector,
            handler.setBucketWeights.selector, handler.setParams.selector, handler.setMetricWeights.selector,
            handler.pause.selector, handler.unpause.selector, handler.release.selector,
            handler.migrateAuthority.selector, handler.setMetadataURI.selector,
            handler.transferOwnership.selector, handler.strangerTries.selector, handler.playRound.selector,
            handler.toggleAsleep.selector, handler.playRounds.selector, handler.warpPastUnbonding.selector,
            handler.setRegistrationPricing.selector, handler.setKeeperTip.selector, handler.claimTips.selector]));
    }

    function invariant_SolventToTheWei() public {
        uint256 owed =
            subnet.totalBonds() +
                subnet.totalStake() +
                subnet.totalUnbonding() +
                subnet.totalClaimable() +
                subnet.pendingEmission();
        assertEq(token.balanceOf(address(subnet)), owed, "balance != obligations");
    }

    function invariant_BondsAreConserved() public {
        assertEq(subnet.totalBonds(), handler.ghostBondsIn() - handler.ghostBondsOut(), "bonds");
    }

    function invariant_StakeMovesOnlyByUnbondingOrSlashing() public {
        assertEq(
            subnet.totalStake() + subnet.totalUnbonding(),
            handler.ghostStakeIn() - handler.ghostStakeOut() - handler.ghostSlashed(),
            "stake"
        );
        assertEq(
            token.balanceOf(address(fund)),
            handler.ghostSlashed() - handler.ghostReleased(),
            "slashed stake went elsewhere"
        );
    }

    function invariant_EmissionIsConserved() public {
        assertFalse(handler.ghostEmissionNotConserved(), "a finalization created or lost emission");
        assertEq(
            handler.ghostEmissionIn(),
            token.balanceOf(address(bucket)) +
                subnet.pendingEmission() +
                subnet.totalClaimable() +
                handler.ghostClaimed() +
                handler.ghostPulledByOther(),
            "emission in != bucket + pending + claimable + claimed + the other subnet's"
        );
    }

    function invariant_ClaimsPayExactlyWhatWasCredited() public {
        assertFalse(handler.ghostClaimMismatch(), "a claim paid something other than claimable");
    }

    function invariant_ColludersUnderHalfCannotLiftAScore() public {
        assertFalse(
            handler.ghostColludersLifted(),
            "colluders lifted a consensus score above the honest one"
        );
    }

    /// @notice (a) A round's validator dividends never exceed its validator share, pool * validatorShare / 1e4
    /// (stale sheets, factors under 1 and strikes leave the rest pending); stale validators earn nothing.
    function invariant_ValidatorDividendsWithinTheirShare() public {
        assertFalse(handler.ghostValidatorsOverpaid(), "validator dividends above pool * validatorShare");
        assertFalse(handler.ghostStalePaid(), "a validator that did not reveal was paid");
        assertLte(handler.ghostMaxValidatorPaidBps(), 10_000);
    }

    /// @notice (b) Nothing minted or lost: the books cover the balance to the wei; the finalizations credited
    /// exactly the emission they took from `pendingEmission`; the credits of all accounts sum to
    /// totalClaimable.
    function invariant_CreditsAreTheEmissionPaid() public {
        assertEq(
            token.balanceOf(address(subnet)),
            subnet.totalBonds() +
                subnet.totalStake() +
                subnet.totalUnbonding() +
                subnet.totalClaimable() +
                subnet.pendingEmission(),
            "balance != obligations"
        );
        assertEq(handler.ghostCredited(), handler.ghostEmissionPaid(), "credited != emission paid");
        assertEq(
            handler.creditsOfEveryone(),
            subnet.totalClaimable(),
            "the accounts' credits != totalClaimable"
        );
    }

    /// @notice (c) Strikes stay under the limit: no permit holder judged at the last finalization keeps
    /// maxStrikes strikes (it is expelled), and none ever reaches the largest limit the settings allow (4).
    function invariant_StrikesUnderTheLimit() public {
        uint256 last = handler.ghostLastFinalized();
        uint256 used = subnet.validatorSlotsUsed();
        for (uint256 i; i < used; ++i) {
            ISubnet.Validator memory v = subnet.validatorAt(i);
            if (v.account == address(0)) continue;
            assertLt(v.strikes, 4, "strikes >= every limit");
            if (last != 0 && v.revealRound == last)
                assertLt(v.strikes, handler.ghostLastMaxStrikes(), "a struck-out validator kept its permit");
        }
    }

    /// @notice (d) A sheet is in force only for a permit holder: a free slot keeps no reveal, stake or
    /// strikes (its stored sheet is never read as active), and a holder's last reveal is a past round.
    function invariant_ActiveSheetsBelongToPermitHolders() public {
        uint256 round = subnet.round();
        uint256 used = subnet.validatorSlotsUsed();
        (uint256 start, , ) = subnet.roundTimes();
        for (uint256 i; i < used; ++i) {
            ISubnet.Validator memory v = subnet.validatorAt(i);
            if (v.account == address(0)) {
                assertEq(v.revealRound, 0, "a free slot has a sheet in force");
                assertEq(v.stake, 0, "a free slot has stake");
                continue;
            }
            assertEq(subnet.validatorSlot(v.account), i, "slot map");
            assertLte(v.revealRound, round, "revealed in the future");
            assertLte(v.joinRound, round, "joined in the future");
            assertLte(v.sheetStart, start, "sheet from the future");
            if (v.revealRound != 0) assertGt(v.sheetStart, 0, "revealed sheet without its round start");
        }
    }

    /// @notice (e) No permit survives a finalization idle: after round r closes, every holder revealed or
    /// joined within the cutoff in force for r (round - max(revealRound, joinRound) <= cutoff).
    function invariant_NoIdlePermitSurvivesFinalization() public {
        uint256 cutoff = handler.ghostLastCutoff();
        if (cutoff == 0) return; // no round finalized yet
        uint256 round = subnet.round();
        uint256 used = subnet.validatorSlotsUsed();
        for (uint256 i; i < used; ++i) {
            ISubnet.Validator memory v = subnet.validatorAt(i);
            if (v.account == address(0)) continue;
            uint256 lastActive = v.revealRound > v.joinRound ? v.revealRound : v.joinRound;
            assertLte(round - lastActive, cutoff, "an idle permit survived its finalization");
        }
    }

    /// @notice Issue 15: every registration fee is burned (supply = minted - burned; the subnet keeps none:
    /// see SolventToTheWei), keeper tips stay within MAX_KEEPER_TIP_BPS of a round's pool, and unbonding
    /// stake adds up part by part, at most MAX_UNBONDINGS parts each, never paid before its release.
    function invariant_FeesBurnedTipsCappedUnbondingInParts() public {
        assertEq(token.totalSupply(), handler.ghostMinted() - handler.ghostFeesBurned(), "fees not burned");
        assertFalse(handler.ghostTipsOverCap(), "keeper tips above the cap");
        assertFalse(handler.ghostReleasedEarly(), "unbonding paid before its release or not in full");
        uint256 sum;
        for (uint256 i; i < 5; ++i) {
            ISubnet.Unbonding[] memory parts = subnet.unbondings(handler.validatorAt(i));
            assertLte(parts.length, subnet.MAX_UNBONDINGS(), "too many unbonding parts");
            for (uint256 k; k < parts.length; ++k) sum += parts[k].amount;
        }
        assertEq(sum, subnet.totalUnbonding(), "unbonding parts != totalUnbonding");
    }

    function invariant_PermitAndSlotBounds() public {
        assertLte(subnet.validatorCount(), 64);
        assertLte(subnet.contributorCount(), 256);
    }

    function invariant_PauseNeverBlocksExits() public {
        assertEq(subnet.paused(), handler.ghostPaused(), "paused state");
        assertFalse(
            handler.ghostExitBlockedByPause(),
            "pause blocked a deregistration, unstake or withdrawal"
        );
        assertFalse(
            handler.ghostPausedEntryWorked(),
            "a registration, stake, finalization or claim went through while paused"
        );
    }

    function invariant_SettingsAndWeightsChangeOnlyAtRoundStart() public {
        (ISubnet.Params memory current, ISubnet.Params memory next) = subnet.params();
        assertEq(keccak256(abi.encode(current)), handler.ghostAppliedParams(), "settings in force");
        assertEq(keccak256(abi.encode(next)), handler.ghostQueuedParams(), "settings queued");
        (uint16[] memory w, uint16[] memory nextW) = subnet.metricWeights();
        assertEq(keccak256(abi.encode(w)), handler.ghostAppliedWeights(), "metric weights in force");
        assertEq(keccak256(abi.encode(nextW)), handler.ghostQueuedWeights(), "metric weights queued");
    }

    function invariant_BucketOwesExactlyItsBalance() public {
        assertEq(
            token.balanceOf(address(bucket)),
            bucket.allocation(address(subnet)) + bucket.allocation(address(0x07E4)) + bucket.unallocated(),
            "bucket balance != allocations + carried remainder"
        );
    }

    function invariant_OnlyOwnerAndGovernanceChangeSettings() public {
        assertFalse(handler.ghostStrangerChangedSomething(), "a stranger called a privileged function");
        assertEq(subnet.owner(), handler.ghostOwner(), "owner");
        assertEq(keccak256(bytes(subnet.metadataURI())), handler.ghostURIHash(), "metadata URI");
        address[3] memory targets = [address(subnet), address(bucket), address(fund)];
        for (uint256 i; i < 3; ++i) {
            assertEq(IAccessManaged(targets[i]).authority(), handler.ghostAuthority(targets[i]), "authority");
        }
    }
}
